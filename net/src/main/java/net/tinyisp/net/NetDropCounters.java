package net.tinyisp.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** One counter per {@link NetDropReason}, registered under the reason's metric name and optional tags. */
public final class NetDropCounters {
  private final Map<NetDropReason, Counter> counters = new EnumMap<>(NetDropReason.class);

  /** {@code tags} are key/value pairs such as {@code "device", "nat64"}. */
  public NetDropCounters(MeterRegistry registry, String... tags) {
    for (NetDropReason r : NetDropReason.values()) {
      // Micrometer's Prometheus naming appends _total to counters itself
      String base = r.metricName().endsWith("_total")
          ? r.metricName().substring(0, r.metricName().length() - "_total".length()) : r.metricName();
      counters.put(r, Counter.builder(base).description(r.description()).tags(tags).register(registry));
    }
  }

  public void count(NetDropReason reason) {
    counters.get(reason).increment();
  }

  public void count(NetDropReason reason, long amount) {
    counters.get(reason).increment(amount);
  }

  public double value(NetDropReason reason) {
    return counters.get(reason).count();
  }
}
