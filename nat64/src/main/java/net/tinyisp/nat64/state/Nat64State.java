package net.tinyisp.nat64.state;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.config.Pool4Entry;
import net.tinyisp.nat64.config.PortRange;
import net.tinyisp.nat64.config.StaticBibEntry;
import net.tinyisp.nat64.wire.Bytes;

/** The three per-protocol tables, the timers and the clock the filtering step and the expiry sweep share. */
public final class Nat64State {
  private final StateTable tcp;
  private final StateTable udp;
  private final StateTable icmp;
  private final Clock clock;
  private final Nat64Config config;

  public Nat64State(Nat64Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
    List<Integer> addrs = new ArrayList<>();
    List<PortRange> t = new ArrayList<>();
    List<PortRange> u = new ArrayList<>();
    List<PortRange> i = new ArrayList<>();
    for (Pool4Entry e : config.pool4()) {
      addrs.add(e.addressBits());
      t.add(e.tcp());
      u.add(e.udp());
      i.add(e.icmp());
    }
    this.tcp = new StateTable(L4Protocol.TCP, new PortAllocator(addrs, t));
    this.udp = new StateTable(L4Protocol.UDP, new PortAllocator(addrs, u));
    this.icmp = new StateTable(L4Protocol.ICMP, new PortAllocator(addrs, i));
    for (StaticBibEntry s : config.staticBib()) {
      addStatic(s);
    }
  }

  public Nat64Config config() {
    return config;
  }

  public long nowMillis() {
    return clock.millis();
  }

  public StateTable table(L4Protocol p) {
    return switch (p) {
      case TCP -> tcp;
      case UDP -> udp;
      case ICMP -> icmp;
    };
  }

  public boolean isPool4(int addr) {
    return tcp.ports().isPoolAddress(addr);
  }

  public final boolean addStatic(StaticBibEntry s) {
    StateTable t = table(L4Protocol.valueOf(s.protocol().name()));
    byte[] v6 = s.v6Address();
    byte[] v4 = s.v4Address();
    t.lock().lock();
    try {
      return t.addStatic(Bytes.i64(v6, 0), Bytes.i64(v6, 8), s.v6Port(), Bytes.i32(v4, 0), s.v4Port());
    } finally {
      t.lock().unlock();
    }
  }

  public boolean removeStatic(StaticBibEntry s) {
    StateTable t = table(L4Protocol.valueOf(s.protocol().name()));
    byte[] v4 = s.v4Address();
    t.lock().lock();
    try {
      return t.removeStatic(Bytes.i32(v4, 0), s.v4Port());
    } finally {
      t.lock().unlock();
    }
  }

  /** Runs the timers of every table; returns the number of sessions removed. */
  public int expire() {
    long now = clock.millis();
    long trans = config.timers().tcpTransitory().toMillis();
    int n = 0;
    for (L4Protocol p : L4Protocol.values()) {
      StateTable t = table(p);
      t.lock().lock();
      try {
        n += t.expire(now, trans);
      } finally {
        t.lock().unlock();
      }
    }
    return n;
  }
}
