package net.tinyisp.nat64.steps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The pipeline's counters: one per {@link DropReason} and the translated packets per direction. */
public final class Nat64Counters {
  private final Counter[] drops = new Counter[DropReason.values().length];
  private final Counter v6to4;
  private final Counter v4to6;
  private final Counter icmpOriginated;

  public Nat64Counters(MeterRegistry registry) {
    for (DropReason r : DropReason.values()) {
      drops[r.ordinal()] = Counter.builder(r.metricName()).description(r.description()).register(registry);
    }
    v6to4 = Counter.builder("tinyisp_nat64_translated_6to4").description("packets translated IPv6 to IPv4 (a"
        + " super-packet counts once)").register(registry);
    v4to6 = Counter.builder("tinyisp_nat64_translated_4to6").description("packets translated IPv4 to IPv6 (a"
        + " super-packet counts once)").register(registry);
    icmpOriginated = Counter.builder("tinyisp_nat64_icmp_errors_sent").description("ICMP errors the gateway itself"
        + " sent (time exceeded, administratively prohibited)").register(registry);
  }

  public void drop(DropReason r) {
    drops[r.ordinal()].increment();
  }

  public double dropped(DropReason r) {
    return drops[r.ordinal()].count();
  }

  public void translated(boolean fromV6) {
    (fromV6 ? v6to4 : v4to6).increment();
  }

  public void icmpSent() {
    icmpOriginated.increment();
  }
}
