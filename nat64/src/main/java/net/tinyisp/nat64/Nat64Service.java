package net.tinyisp.nat64;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.io.Gateway;
import net.tinyisp.nat64.state.L4Protocol;
import net.tinyisp.nat64.state.Nat64State;
import net.tinyisp.nat64.state.StateTable;
import net.tinyisp.nat64.state.StateView;
import net.tinyisp.nat64.steps.Nat64Counters;

/**
 * The stateful NAT64 gateway as a tinyisp {@link Service}: opens the TUN device (optionally creating routes and
 * forwarding with {@code setup}), runs one platform thread per queue, and exposes the live {@link Nat64View}.
 */
public final class Nat64Service implements Service {
  private final Nat64Config config;
  private final Nat64State state;
  private final Nat64Counters counters;
  private final StateView view;
  private Gateway gateway;

  public Nat64Service(Nat64Config config, Metrics metrics) {
    this(config, metrics, Clock.systemUTC());
  }

  public Nat64Service(Nat64Config config, Metrics metrics, Clock clock) {
    this.config = config;
    this.state = new Nat64State(config, clock);
    MeterRegistry r = metrics.registry();
    this.counters = new Nat64Counters(r);
    this.view = new StateView(state);
    for (L4Protocol p : L4Protocol.values()) {
      StateTable t = state.table(p);
      Gauge.builder("tinyisp_nat64_bib_entries", t, StateTable::bibCount).tag("protocol", p.label())
          .description("BIB entries (RFC 6146 §3.1)").register(r);
      Gauge.builder("tinyisp_nat64_sessions", t, StateTable::sessionCount).tag("protocol", p.label())
          .description("sessions (RFC 6146 §3.2)").register(r);
      Gauge.builder("tinyisp_nat64_pool4_ports_in_use", t, x -> x.ports().inUse()).tag("protocol", p.label())
          .description("pool4 ports or ICMP identifiers bound").register(r);
      Gauge.builder("tinyisp_nat64_pool4_ports_capacity", t, x -> x.ports().capacity()).tag("protocol", p.label())
          .description("pool4 ports or ICMP identifiers configured").register(r);
    }
  }

  @Override
  public String name() {
    return "nat64";
  }

  @Override
  public synchronized void start() throws Exception {
    if (gateway != null) return;
    gateway = Gateway.open(config, state, counters);
  }

  @Override
  public Health health() {
    Gateway g = gateway;
    if (g == null) return Health.down("not started");
    String why = g.failure();
    return why == null ? Health.ok() : Health.down(why);
  }

  /** The device name the kernel gave, once started. */
  public String device() {
    return gateway == null ? null : gateway.device();
  }

  public Nat64View view() {
    return view;
  }

  public Nat64Counters counters() {
    return counters;
  }

  @Override
  public synchronized void close() {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }
}
