package net.tinyisp.dns.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.tinyisp.dns.DropReason;

/**
 * The dns module's meters, all named {@code tinyisp_dns_...}. Hot-path counters are looked up once and kept in
 * arrays, so counting a query is an array index and an add.
 */
public final class DnsMetrics {
  private final MeterRegistry registry;
  private final Counter[][] queries = new Counter[Transport.values().length][24];
  private final Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Counter refused;
  private final Map<String, Counter> synthesized = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();

  public DnsMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (DropReason r : DropReason.values()) {
      // one HELP text per meter name in Prometheus: the per-reason meanings are in DropReason and the README
      drops.put(r, Counter.builder("tinyisp_dns_drops")
          .description("queries and upstream answers not served or not used, by reason").tag("reason", r.label())
          .register(registry));
    }
    cacheHits = Counter.builder("tinyisp_dns_cache_lookups").description("answers found in the cache")
        .tag("result", "hit").register(registry);
    cacheMisses = Counter.builder("tinyisp_dns_cache_lookups").description("answers found in the cache")
        .tag("result", "miss").register(registry);
    refused = Counter.builder("tinyisp_dns_refused_clients")
        .description("queries from clients outside allow-query, answered REFUSED").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void query(Transport t, int rcode) {
    if (rcode < 0 || rcode >= 24) rcode = 23;
    Counter c = queries[t.ordinal()][rcode];
    if (c == null) {
      c = Counter.builder("tinyisp_dns_queries").description("answered queries by transport and rcode")
          .tag("transport", t.label()).tag("rcode", rcodeName(rcode)).register(registry);
      queries[t.ordinal()][rcode] = c;
    }
    c.increment();
  }

  private static String rcodeName(int rcode) {
    return rcode == 23 ? "other" : org.xbill.DNS.Rcode.string(rcode).toLowerCase();
  }

  public void drop(DropReason r) {
    drops.get(r).increment();
  }

  public void refused() {
    refused.increment();
  }

  public void cache(boolean hit) {
    (hit ? cacheHits : cacheMisses).increment();
  }

  public void synthesized(String prefix) {
    synthesizedCounter(prefix).increment();
  }

  /** The counter {@link #synthesized} increments, for callers that keep it (one per view) off the hot path. */
  public Counter synthesizedCounter(String prefix) {
    return synthesized.computeIfAbsent(prefix, p -> Counter.builder("tinyisp_dns_synthesized")
        .description("answers carrying synthesized AAAA records (RFC 6147)").tag("prefix", p).register(registry));
  }

  public void upstreamLatency(String upstream, long nanos) {
    latency.computeIfAbsent(upstream, u -> Timer.builder("tinyisp_dns_upstream_latency")
        .description("time to a usable upstream answer").tag("upstream", u).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void upstreamFailure(String upstream, String reason) {
    failures.computeIfAbsent(upstream + "\0" + reason, k -> Counter.builder("tinyisp_dns_upstream_failures")
        .description("upstream attempts without a usable answer").tag("upstream", upstream).tag("reason", reason)
        .register(registry)).increment();
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description).register(registry);
  }

  public double dropCount(DropReason r) {
    return drops.get(r).count();
  }
}
