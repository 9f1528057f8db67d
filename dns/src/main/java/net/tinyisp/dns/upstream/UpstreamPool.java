package net.tinyisp.dns.upstream;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import net.tinyisp.dns.server.DnsMetrics;
import org.xbill.DNS.Message;

/**
 * Several upstreams in preference order with failover: a query goes to the first healthy one and, on failure,
 * to the next, up to {@code 1 + retries} attempts. An upstream that failed {@link #FAILS_TO_MARK_DOWN} times in
 * a row is skipped for {@link #DOWN_NANOS}, then tried again; when all are down, all are tried anyway.
 */
public final class UpstreamPool implements AutoCloseable {
  static final int FAILS_TO_MARK_DOWN = 3;
  static final long DOWN_NANOS = 5_000_000_000L;

  private final List<Upstream> upstreams;
  private final int retries;
  private final DnsMetrics metrics;
  private final LongSupplier clock;
  private final int[] consecutiveFailures;
  private final long[] downUntil;
  private final boolean[] down;

  public UpstreamPool(List<Upstream> upstreams, int retries, DnsMetrics metrics, LongSupplier nanoClock) {
    if (upstreams.isEmpty()) throw new IllegalArgumentException("at least one upstream");
    this.upstreams = List.copyOf(upstreams);
    this.retries = retries;
    this.metrics = metrics;
    this.clock = nanoClock;
    this.consecutiveFailures = new int[upstreams.size()];
    this.downUntil = new long[upstreams.size()];
    this.down = new boolean[upstreams.size()];
  }

  public CompletionStage<Message> query(Message q) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    attempt(q, 0, result, null);
    return result;
  }

  private void attempt(Message q, int attempt, CompletableFuture<Message> result, Throwable last) {
    if (attempt > retries) {
      result.completeExceptionally(last != null ? last
          : new UpstreamException(UpstreamException.Reason.UNAVAILABLE, "no upstream answered"));
      return;
    }
    int i = pick(attempt);
    Upstream u = upstreams.get(i);
    long start = clock.getAsLong();
    u.query(q).whenComplete((m, e) -> {
      if (e == null) {
        succeeded(i);
        metrics.upstreamLatency(u.name(), clock.getAsLong() - start);
        result.complete(m);
        return;
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      String reason = cause instanceof UpstreamException ue ? ue.reason().name().toLowerCase() : "transport";
      metrics.upstreamFailure(u.name(), reason);
      failed(i);
      attempt(q, attempt + 1, result, cause);
    });
  }

  /** The attempt-th healthy upstream in preference order (wrapping), so retries fail over. */
  private int pick(int attempt) {
    long now = clock.getAsLong();
    int n = upstreams.size();
    int healthy = 0;
    synchronized (this) {
      for (int i = 0; i < n; i++) if (!isDown(i, now)) healthy++;
      if (healthy == 0) return attempt % n;
      int want = attempt % healthy;
      for (int i = 0; i < n; i++) {
        if (!isDown(i, now) && want-- == 0) return i;
      }
    }
    return 0;
  }

  private boolean isDown(int i, long now) {
    return down[i] && downUntil[i] - now > 0;
  }

  private synchronized void succeeded(int i) {
    consecutiveFailures[i] = 0;
    down[i] = false;
  }

  private synchronized void failed(int i) {
    if (++consecutiveFailures[i] >= FAILS_TO_MARK_DOWN) {
      down[i] = true;
      downUntil[i] = clock.getAsLong() + DOWN_NANOS;
    }
  }

  /** Names of upstreams currently marked down. */
  public synchronized List<String> down() {
    long now = clock.getAsLong();
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < upstreams.size(); i++) if (isDown(i, now)) out.add(upstreams.get(i).name());
    return out;
  }

  public int size() {
    return upstreams.size();
  }

  @Override
  public void close() {
    for (Upstream u : upstreams) u.close();
  }
}
