package net.tinyisp.subscribers.accounting;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import net.tinyisp.subscribers.store.Database;

/**
 * Group commit: many callers hand over one item each and block; one writer thread takes whatever has queued up,
 * applies it in a single transaction and commits once, then releases every caller of that batch. Under load a
 * batch grows, so the cost of the durable commit (an fsync) is shared; when idle a batch is a single item and
 * nothing waits for company. If a batch fails, its items are retried one transaction each, so one bad item cannot
 * fail the others.
 */
public final class GroupCommitter<T, R> implements AutoCloseable {

  @FunctionalInterface
  public interface ItemWriter<T, R> {
    /** Writes one item inside the batch's transaction; {@code st} reuses prepared statements across the batch. */
    R write(StatementCache st, T item) throws SQLException;
  }

  private record Pending<T, R>(T item, CompletableFuture<R> done) {}

  private final Database db;
  private final ItemWriter<T, R> writer;
  private final int maxBatch;
  private final BlockingQueue<Pending<T, R>> queue;
  private final Thread thread;
  private final LongConsumer batchSizes;
  private volatile boolean closed;

  public GroupCommitter(Database db, ItemWriter<T, R> writer, int maxBatch, int queueCapacity, String name,
      LongConsumer batchSizes) {
    this.db = db;
    this.writer = writer;
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.batchSizes = batchSizes;
    // a platform thread: it owns one JDBC connection for long stretches and blocks in fsync
    this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::run);
  }

  /**
   * Queues the item without holding the caller's thread; the future completes when its batch committed (with what
   * the writer returned) or fails with why it did not. Fails at once when the queue is full.
   */
  public CompletableFuture<R> submitAsync(T item) {
    if (closed) return CompletableFuture.failedFuture(new SQLException("the accounting writer is closed"));
    Pending<T, R> p = new Pending<>(item, new CompletableFuture<>());
    if (!queue.offer(p)) return CompletableFuture.failedFuture(new TimeoutException("the accounting queue is full"));
    return p.done();
  }

  /** Blocks until the item is committed (returns what the writer returned) or throws why it is not. */
  public R submit(T item, long timeoutMillis) throws SQLException, InterruptedException, TimeoutException {
    if (closed) throw new SQLException("the accounting writer is closed");
    Pending<T, R> p = new Pending<>(item, new CompletableFuture<>());
    if (!queue.offer(p, timeoutMillis, TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("the accounting queue is full");
    }
    try {
      return p.done().get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException s) throw s;
      throw new SQLException("accounting write failed: " + e.getCause(), e.getCause());
    }
  }

  private void run() {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        commit(batch);
      } catch (InterruptedException e) {
        if (closed) break;
      } catch (RuntimeException e) {
        batch.forEach(p -> p.done().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
    Pending<T, R> p;
    while ((p = queue.poll()) != null) {
      p.done().completeExceptionally(new SQLException("the accounting writer is closed"));
    }
  }

  private void commit(List<Pending<T, R>> batch) {
    List<R> results = new ArrayList<>(batch.size());
    try {
      db.inTransaction(c -> {
        results.clear();
        try (StatementCache st = new StatementCache(c)) {
          for (Pending<T, R> p : batch) results.add(writer.write(st, p.item()));
        }
        return null;
      });
      batchSizes.accept(batch.size());
      for (int i = 0; i < batch.size(); i++) batch.get(i).done().complete(results.get(i));
    } catch (SQLException | RuntimeException batchFailure) {
      if (batch.size() == 1) {
        batch.get(0).done().completeExceptionally(batchFailure);
        return;
      }
      for (Pending<T, R> p : batch) {
        try {
          R r = db.inTransaction(c -> {
            try (StatementCache st = new StatementCache(c)) {
              return writer.write(st, p.item());
            }
          });
          batchSizes.accept(1);
          p.done().complete(r);
        } catch (SQLException | RuntimeException e) {
          p.done().completeExceptionally(e);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
