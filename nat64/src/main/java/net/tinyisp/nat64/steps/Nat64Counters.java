package net.tinyisp.nat64.steps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The pipeline's counters: one per {@link DropReason} and the translated packets per direction. */
public final class Nat64Counters {
  private final Counter[] drops = new Counter[DropReason.values().length];
  private final Counter v6to4;
  private final Counter v4to6;
  private final Counter icmpOriginated;
  private final Counter superPackets;
  private final Counter coalesced;

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
    superPackets = Counter.builder("tinyisp_nat64_uso_super_packets").description("UDP super-packets written to the"
        + " TUN device, each joining several translated datagrams of one flow").register(registry);
    coalesced = Counter.builder("tinyisp_nat64_uso_coalesced_datagrams").description("translated UDP datagrams that"
        + " left inside a super-packet (the kernel segments them)").register(registry);
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

  /** One super-packet carrying {@code datagrams} datagrams was written. */
  public void coalesced(int datagrams) {
    superPackets.increment();
    coalesced.increment(datagrams);
  }

  public double superPackets() {
    return superPackets.count();
  }

  public double coalescedDatagrams() {
    return coalesced.count();
  }

  public void icmpSent() {
    icmpOriginated.increment();
  }
}
