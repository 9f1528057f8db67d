package net.tinyisp.nat64.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.tinyisp.common.net.AddressText;
import net.tinyisp.nat64.Nat64View;
import net.tinyisp.nat64.config.StaticBibEntry;
import net.tinyisp.nat64.wire.Bytes;
import net.tinyisp.nat64.wire.Pool6;

/** {@link Nat64View} over the live tables: each call copies under the protocol's lock. */
public final class StateView implements Nat64View {
  private final Nat64State state;
  private final Pool6 pool6;

  public StateView(Nat64State state) {
    this.state = state;
    this.pool6 = state.config().pool6Prefix();
  }

  private static L4Protocol protocol(String name) {
    try {
      return L4Protocol.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("protocol '" + name + "' is not tcp, udp or icmp");
    }
  }

  static String v6(long hi, long lo, int port) {
    byte[] b = new byte[16];
    Bytes.put64(b, 0, hi);
    Bytes.put64(b, 8, lo);
    return AddressText.format(b) + "#" + port;
  }

  static String v4(int addr, int port) {
    byte[] b = new byte[4];
    Bytes.put32(b, 0, addr);
    return AddressText.format(b) + "#" + port;
  }

  @Override
  public List<BibRow> bib(String protocol) {
    StateTable t = state.table(protocol(protocol));
    List<BibRow> rows = new ArrayList<>();
    t.lock().lock();
    try {
      for (BibEntry b : t.bibSnapshot()) {
        rows.add(new BibRow(t.protocol.label(), v6(b.v6Hi, b.v6Lo, b.v6Port), v4(b.v4Addr, b.v4Port), b.isStatic,
            b.sessionCount()));
      }
    } finally {
      t.lock().unlock();
    }
    return rows;
  }

  @Override
  public List<SessionRow> sessions(String protocol) {
    StateTable t = state.table(protocol(protocol));
    long now = state.nowMillis();
    List<SessionRow> rows = new ArrayList<>();
    t.lock().lock();
    try {
      for (Session s : t.sessionSnapshot()) {
        BibEntry b = s.bib;
        byte[] r6 = pool6.embed(s.remoteAddr);
        rows.add(new SessionRow(t.protocol.label(), v6(b.v6Hi, b.v6Lo, b.v6Port), v4(b.v4Addr, b.v4Port),
            v4(s.remoteAddr, s.remotePort), AddressText.format(r6) + "#" + s.remotePort,
            t.protocol == L4Protocol.TCP ? s.tcpState().name() : "", Math.max(0, (s.expiresAtMillis() - now) / 1000)));
      }
    } finally {
      t.lock().unlock();
    }
    return rows;
  }

  @Override
  public List<Pool4Use> pool4() {
    List<Pool4Use> rows = new ArrayList<>();
    for (L4Protocol p : L4Protocol.values()) {
      StateTable t = state.table(p);
      t.lock().lock();
      try {
        rows.add(new Pool4Use(p.label(), t.ports().capacity(), t.ports().inUse()));
      } finally {
        t.lock().unlock();
      }
    }
    return rows;
  }

  @Override
  public boolean addStatic(StaticBibEntry entry) {
    return state.addStatic(entry);
  }

  @Override
  public boolean removeStatic(StaticBibEntry entry) {
    return state.removeStatic(entry);
  }
}
