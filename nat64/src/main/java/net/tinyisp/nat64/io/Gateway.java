package net.tinyisp.nat64.io;

import java.util.ArrayList;
import java.util.List;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.state.Nat64State;
import net.tinyisp.nat64.steps.Nat64Counters;
import net.tinyisp.nat64.steps.Pipeline;
import net.tinyisp.net.tun.TunConfig;
import net.tinyisp.net.tun.TunDevice;

/**
 * The running gateway: the TUN device and one worker thread per queue. The device is opened in the network
 * namespace of the calling thread, and the workers inherit it.
 */
public final class Gateway implements AutoCloseable {
  private final TunDevice tun;
  private final List<GatewayWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  private Gateway(TunDevice tun) {
    this.tun = tun;
  }

  public static Gateway open(Nat64Config cfg, Nat64State state, Nat64Counters counters) throws Exception {
    // TSO/USO super-packets in both directions; the kernel segments what we write back
    List<String> offloads = cfg.offload() ? List.of("csum", "tso4", "tso6", "uso4", "uso6") : List.of();
    TunDevice tun = TunDevice.open(new TunConfig(cfg.tun(), cfg.queues(), cfg.offload(), offloads));
    Gateway g = new Gateway(tun);
    try {
      if (cfg.setup()) {
        TunSetup.apply(cfg, tun.name());
      }
      for (int q = 0; q < tun.queueCount(); q++) {
        GatewayWorker w = new GatewayWorker(tun.queue(q), new Pipeline(state, counters), state, counters, q == 0,
            cfg.rxCoalesceUsecs());
        g.workers.add(w);
        g.threads.add(Thread.ofPlatform().name("nat64-q" + q).daemon().start(w));
      }
      return g;
    } catch (Exception | Error e) {
      g.close();
      throw e;
    }
  }

  public String device() {
    return tun.name();
  }

  /** Why a worker stopped, or null while all run. */
  public String failure() {
    for (GatewayWorker w : workers) {
      if (w.failure() != null) return w.failure().toString();
    }
    return null;
  }

  @Override
  public void close() {
    workers.forEach(GatewayWorker::stop);
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    tun.close();
  }
}
