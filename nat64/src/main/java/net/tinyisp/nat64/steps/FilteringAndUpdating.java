package net.tinyisp.nat64.steps;

import net.tinyisp.nat64.config.GlobalIpv4;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.config.Timers;
import net.tinyisp.nat64.state.BibEntry;
import net.tinyisp.nat64.state.L4Protocol;
import net.tinyisp.nat64.state.Nat64State;
import net.tinyisp.nat64.state.Session;
import net.tinyisp.nat64.state.StateTable;
import net.tinyisp.nat64.state.TcpState;
import net.tinyisp.nat64.state.TcpStateMachine;
import net.tinyisp.nat64.wire.Pool6;

/**
 * RFC 6146 §3.5: find or create the BIB entry and session, run the TCP state machine (§3.5.2), apply the
 * per-source limit and filtering. ICMP errors (§3.5 last paragraph) only look up; they never create or refresh.
 */
public final class FilteringAndUpdating {
  private final Nat64State state;
  private final Pool6 pool6;
  private final boolean checkWkp;
  private final boolean addressDependent;
  private final int maxPerSource;
  private final long udpMs, estMs, transMs, icmpMs, synMs;

  public FilteringAndUpdating(Nat64State state, Pool6 pool6) {
    this.state = state;
    this.pool6 = pool6;
    Nat64Config cfg = state.config();
    this.checkWkp = pool6.isWellKnown() && !cfg.allowWkpNonGlobal();
    this.addressDependent = cfg.filtering() == Nat64Config.Filtering.ADDRESS_DEPENDENT;
    this.maxPerSource = cfg.maxSessionsPerSource();
    Timers t = cfg.timers();
    this.udpMs = t.udp().toMillis();
    this.estMs = t.tcpEstablished().toMillis();
    this.transMs = t.tcpTransitory().toMillis();
    this.icmpMs = t.icmp().toMillis();
    this.synMs = t.tcpIncomingSyn().toMillis();
  }

  public Verdict run(PacketContext c) {
    StateTable table = state.table(c.protocol);
    table.lock().lock();
    try {
      return c.fromV6 ? outbound(c, table) : inbound(c, table);
    } finally {
      table.lock().unlock();
    }
  }

  private int remote4(PacketContext c) {
    // The IPv4 remote Z is embedded in the IPv6 destination Y' (RFC 6052 §2.3)
    byte[] tmp = scratch;
    net.tinyisp.nat64.wire.Bytes.put64(tmp, 0, c.dst6Hi);
    net.tinyisp.nat64.wire.Bytes.put64(tmp, 8, c.dst6Lo);
    return pool6.extract(tmp, 0);
  }

  private final byte[] scratch = new byte[16];

  /**
   * Per-thread, direct-mapped cache of recently used sessions per direction: a bulk flow skips the hash lookups
   * (and their key objects). Entries are checked field by field and dropped once their session left the table.
   */
  private final Session[] cache6 = new Session[256];
  private final Session[] cache4 = new Session[256];

  private static int slot(long a, long b, int c, int d, int e) {
    long h = a * 0x9E3779B97F4A7C15L ^ b * 0xC2B2AE3D27D4EB4FL ^ (long) c << 32 ^ (long) d * 0x165667B19E3779F9L ^ e;
    return (int) (h ^ h >>> 29) & 255;
  }

  private Verdict outbound(PacketContext c, StateTable table) {
    int z = remote4(c);
    int zPort = c.protocol == L4Protocol.ICMP ? 0 : c.dstPort;
    int slot = slot(c.src6Hi, c.src6Lo, c.srcPort, z, zPort * 3 + c.protocol.ordinal());
    if (!c.icmpError) {
      Session hit = cache6[slot];
      if (hit != null && !hit.isRemoved() && hit.bib.protocol == c.protocol && hit.remoteAddr == z
          && hit.remotePort == zPort && hit.bib.v6Port == c.srcPort && hit.bib.v6Lo == c.src6Lo
          && hit.bib.v6Hi == c.src6Hi) {
        TcpStateMachine.Event ev = c.protocol == L4Protocol.TCP ? TcpStateMachine.Event.of(true, c.tcpFlags) : null;
        refresh(table, hit, ev, state.nowMillis());
        c.bib = hit.bib;
        c.session = hit;
        return Verdict.CONTINUE;
      }
    }
    BibEntry bib = table.findBib6(c.src6Hi, c.src6Lo, c.srcPort);
    if (c.icmpError) {
      Session s = bib == null ? null : table.findSession(bib, z, zPort);
      if (s == null) return c.drop(DropReason.NO_SESSION);
      c.bib = bib;
      c.session = s;
      return Verdict.CONTINUE;
    }
    if (checkWkp && !GlobalIpv4.isGlobal(z)) return c.drop(DropReason.WKP_NON_GLOBAL);
    long now = state.nowMillis();
    Session s = bib == null ? null : table.findSession(bib, z, zPort);
    TcpStateMachine.Event ev = null;
    if (c.protocol == L4Protocol.TCP) {
      ev = TcpStateMachine.Event.of(true, c.tcpFlags);
      // RFC 6146 §3.5.2.2 CLOSED: only a V6 SYN creates state
      if (s == null && ev != TcpStateMachine.Event.V6_SYN) return c.drop(DropReason.TCP_NO_SESSION);
    }
    if (bib == null) {
      if (table.sourceCount(c.src6Hi, c.src6Lo) >= maxPerSource) return c.drop(DropReason.SOURCE_LIMIT);
      bib = table.createBib(c.src6Hi, c.src6Lo, c.srcPort);
      if (bib == null) return c.drop(DropReason.POOL4_EXHAUSTED);
    }
    if (s == null) {
      s = table.createSession(bib, z, zPort, TcpState.CLOSED, now);
    }
    refresh(table, s, ev, now);
    c.bib = bib;
    c.session = s;
    cache6[slot] = s;
    return Verdict.CONTINUE;
  }

  private Verdict inbound(PacketContext c, StateTable table) {
    int zPort = c.protocol == L4Protocol.ICMP ? 0 : c.srcPort;
    int slot = slot(c.dst4, c.src4, c.dstPort, zPort, c.protocol.ordinal());
    if (!c.icmpError) {
      Session hit = cache4[slot];
      if (hit != null && !hit.isRemoved() && hit.bib.protocol == c.protocol && hit.remoteAddr == c.src4
          && hit.remotePort == zPort && hit.bib.v4Port == c.dstPort && hit.bib.v4Addr == c.dst4) {
        TcpStateMachine.Event ev = c.protocol == L4Protocol.TCP ? TcpStateMachine.Event.of(false, c.tcpFlags) : null;
        refresh(table, hit, ev, state.nowMillis());
        c.bib = hit.bib;
        c.session = hit;
        return Verdict.CONTINUE;
      }
    }
    BibEntry bib = table.findBib4(c.dst4, c.dstPort);
    if (c.icmpError) {
      // §3.5: an ICMPv4 error is translated when its inner packet belongs to a binding we own
      if (bib == null) return c.drop(DropReason.NO_SESSION);
      c.bib = bib;
      c.session = table.findSession(bib, c.src4, zPort);
      return Verdict.CONTINUE;
    }
    if (bib == null) return c.drop(DropReason.NO_BIB);
    long now = state.nowMillis();
    Session s = table.findSession(bib, c.src4, zPort);
    TcpStateMachine.Event ev = null;
    if (c.protocol == L4Protocol.TCP) {
      ev = TcpStateMachine.Event.of(false, c.tcpFlags);
      if (s == null && ev != TcpStateMachine.Event.V4_SYN) return c.drop(DropReason.TCP_NO_SESSION);
    }
    if (s == null) {
      // §3.5.1: endpoint-independent filtering lets anyone reach an existing binding; address-dependent only the
      // IPv4 addresses the IPv6 host already talked to. A static binding is an explicit port forward.
      if (addressDependent && !bib.isStatic && !table.hasSessionWithAddress(bib, c.src4)) {
        return c.drop(DropReason.FILTERED);
      }
      s = table.createSession(bib, c.src4, zPort, TcpState.CLOSED, now);
    }
    refresh(table, s, ev, now);
    c.bib = bib;
    c.session = s;
    cache4[slot] = s;
    return Verdict.CONTINUE;
  }

  private void refresh(StateTable table, Session s, TcpStateMachine.Event ev, long now) {
    switch (table.protocol) {
      case UDP -> table.update(s, s.tcpState(), now + udpMs);
      case ICMP -> table.update(s, s.tcpState(), now + icmpMs);
      case TCP -> {
        TcpStateMachine.Transition t = TcpStateMachine.next(s.tcpState(), ev);
        long exp = switch (t.lifetime()) {
          case ESTABLISHED -> now + estMs;
          case TRANSITORY -> now + transMs;
          case INCOMING_SYN -> now + synMs;
          case KEEP -> s.expiresAtMillis();
        };
        table.update(s, t.next(), exp);
      }
    }
  }
}
