package net.tinyisp.radius.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A durable "detail"-like accounting file: one JSON object per line, appended and fsynced before
 * {@link #record} returns. Concurrent callers are committed together (group commit): one writer thread takes every
 * waiting record, writes them in one {@code write}, calls {@code fdatasync} once, then releases them all. A line
 * torn by a crash belongs to a request that was never answered; {@link #read} skips it.
 */
public final class AppendOnlyFileSink implements AccountingSink, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BATCH = 4096;

  private record Pending(byte[] line, CompletableFuture<Void> done) {}

  private final Path path;
  private final FileChannel channel;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  public AppendOnlyFileSink(Path path) throws IOException {
    this.path = path;
    Path dir = path.toAbsolutePath().getParent();
    if (dir != null) Files.createDirectories(dir);
    this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    this.writer = Thread.ofPlatform().daemon().name("radius-acct-fsync").start(this::writeLoop);
  }

  public Path path() {
    return path;
  }

  @Override
  public void record(AccountingRecord r) throws Exception {
    try {
      recordAsync(r).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  /** Queues the line; the future completes after the fdatasync that covers it. */
  @Override
  public CompletableFuture<Void> recordAsync(AccountingRecord r) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new IOException("accounting file " + path + " is closed"));
      return done;
    }
    queue.add(new Pending(line(r), done));
    return done;
  }

  /** One JSON object and a newline, written by hand: this runs once per accounting request. */
  static byte[] line(AccountingRecord r) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"received\":");
    string(sb, r.received().toString());
    sb.append(",\"nas\":");
    string(sb, r.nasAddress());
    sb.append(",\"status\":");
    string(sb, r.statusType());
    sb.append(",\"attributes\":{");
    boolean first = true;
    for (Map.Entry<String, List<String>> e : r.attributes().entrySet()) {
      if (!first) sb.append(',');
      first = false;
      string(sb, e.getKey());
      sb.append(":[");
      for (int i = 0; i < e.getValue().size(); i++) {
        if (i > 0) sb.append(',');
        string(sb, e.getValue().get(i));
      }
      sb.append(']');
    }
    sb.append("}}\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void string(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        Pending first = queue.take();
        if (first.line == null) break; // close marker
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        boolean stop = batch.removeIf(p -> p.line == null);
        int size = 0;
        for (Pending p : batch) size += p.line.length;
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (Pending p : batch) buf.put(p.line);
        buf.flip();
        try {
          while (buf.hasRemaining()) channel.write(buf);
          channel.force(false); // fdatasync: the records are on disk before anyone is answered
          for (Pending p : batch) p.done.complete(null);
        } catch (IOException e) {
          for (Pending p : batch) p.done.completeExceptionally(e);
        }
        batch.clear();
        if (stop) break;
      } catch (InterruptedException e) {
        break;
      }
    }
    Pending p;
    while ((p = queue.poll()) != null) {
      if (p.done != null) p.done.completeExceptionally(new IOException("accounting file closed"));
    }
  }

  /** The records in a file written by this sink, in order; a torn last line is skipped. */
  public static List<AccountingRecord> read(Path path) throws IOException {
    List<AccountingRecord> out = new ArrayList<>();
    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      Map<String, Object> o;
      try {
        o = JSON.readValue(line, new TypeReference<>() {});
      } catch (IOException torn) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, List<String>> attrs = (Map<String, List<String>>) o.get("attributes");
      out.add(new AccountingRecord(Instant.parse((String) o.get("received")), (String) o.get("nas"),
          (String) o.get("status"), attrs));
    }
    return out;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    queue.add(new Pending(null, null));
    try {
      writer.join(5000);
      channel.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }
}
