package net.tinyisp.nat64.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The BIB and session table of one protocol (RFC 6146 §3.1, §3.2) with the pool4 ports it hands out. A data
 * structure, not a policy: the filtering step decides when to create what. Every method expects the caller to hold
 * {@link #lock()} (one lock per protocol; queues of the gateway share the table).
 */
public final class StateTable {
  private record Key6(long hi, long lo, int port) {}

  private record Source(long hi, long lo) {}

  public final L4Protocol protocol;
  private final PortAllocator ports;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Key6, BibEntry> by6 = new HashMap<>();
  private final Map<Long, BibEntry> by4 = new HashMap<>();
  private final Map<Source, int[]> perSource = new HashMap<>();
  private int sessions;

  public StateTable(L4Protocol protocol, PortAllocator ports) {
    this.protocol = protocol;
    this.ports = ports;
  }

  public ReentrantLock lock() {
    return lock;
  }

  public PortAllocator ports() {
    return ports;
  }

  public BibEntry findBib6(long hi, long lo, int port) {
    return by6.get(new Key6(hi, lo, port));
  }

  public BibEntry findBib4(int addr, int port) {
    return by4.get((addr & 0xffffffffL) << 16 | port);
  }

  /** Dynamic BIB entries the IPv6 source address holds in this table (the per-subscriber limit). */
  public int sourceCount(long hi, long lo) {
    int[] c = perSource.get(new Source(hi, lo));
    return c == null ? 0 : c[0];
  }

  /** Allocates (T,t) for (X',x) per RFC 6146 §3.5.1.1; null when pool4 has no free port for this protocol. */
  public BibEntry createBib(long hi, long lo, int port) {
    int hash = Long.hashCode(hi * 31 + lo);
    long at = ports.allocate(hash, port);
    if (at < 0) return null;
    BibEntry b = new BibEntry(protocol, hi, lo, port, (int) (at >>> 16), (int) (at & 0xffff), false);
    by6.put(new Key6(hi, lo, port), b);
    by4.put(at, b);
    perSource.computeIfAbsent(new Source(hi, lo), k -> new int[1])[0]++;
    return b;
  }

  /** A manually configured binding (port forward); false when either side is already bound. */
  public boolean addStatic(long hi, long lo, int port, int v4Addr, int v4Port) {
    if (!ports.isPoolAddress(v4Addr)) {
      throw new IllegalArgumentException("not a pool4 address");
    }
    Key6 k6 = new Key6(hi, lo, port);
    long k4 = (v4Addr & 0xffffffffL) << 16 | v4Port;
    if (by6.containsKey(k6) || by4.containsKey(k4)) return false;
    ports.reserveStatic(v4Addr, v4Port);
    BibEntry b = new BibEntry(protocol, hi, lo, port, v4Addr, v4Port, true);
    by6.put(k6, b);
    by4.put(k4, b);
    return true;
  }

  public boolean removeStatic(int v4Addr, int v4Port) {
    BibEntry b = findBib4(v4Addr, v4Port);
    if (b == null || !b.isStatic) return false;
    sessions -= b.sessions.size();
    b.sessions.values().forEach(x -> x.removed = true);
    b.sessions.clear();
    by6.remove(new Key6(b.v6Hi, b.v6Lo, b.v6Port));
    by4.remove((b.v4Addr & 0xffffffffL) << 16 | b.v4Port);
    ports.release(b.v4Addr, b.v4Port);
    return true;
  }

  public Session findSession(BibEntry bib, int remoteAddr, int remotePort) {
    return bib.sessions.get(BibEntry.remoteKey(remoteAddr, remotePort));
  }

  public boolean hasSessionWithAddress(BibEntry bib, int remoteAddr) {
    return bib.hasSessionWithAddress(remoteAddr);
  }

  public Session createSession(BibEntry bib, int remoteAddr, int remotePort, TcpState state, long expiresAt) {
    Session s = new Session(bib, remoteAddr, remotePort, state);
    s.expiresAtMillis = expiresAt;
    bib.sessions.put(BibEntry.remoteKey(remoteAddr, remotePort), s);
    sessions++;
    return s;
  }

  public void update(Session s, TcpState state, long expiresAt) {
    s.tcpState = state;
    s.expiresAtMillis = expiresAt;
  }

  public int bibCount() {
    return by6.size();
  }

  public int sessionCount() {
    return sessions;
  }

  /**
   * Removes the sessions whose timer fired (TCP ones first pass through TRANS, RFC 6146 §3.5.2.2) and the dynamic
   * BIB entries left without sessions (§3.5.1: a BIB entry lives as long as it has sessions). Returns how many
   * sessions were removed.
   */
  public int expire(long nowMillis, long transitoryMillis) {
    int removed = 0;
    for (Iterator<BibEntry> bi = by6.values().iterator(); bi.hasNext(); ) {
      BibEntry b = bi.next();
      for (Iterator<Session> si = b.sessions.values().iterator(); si.hasNext(); ) {
        Session s = si.next();
        if (s.expiresAtMillis > nowMillis) continue;
        if (protocol == L4Protocol.TCP) {
          TcpState next = TcpStateMachine.onExpiry(s.tcpState);
          if (next != null) {
            s.tcpState = next;
            s.expiresAtMillis = nowMillis + transitoryMillis;
            continue;
          }
        }
        si.remove();
        s.removed = true;
        sessions--;
        removed++;
      }
      if (b.sessions.isEmpty() && !b.isStatic) {
        bi.remove();
        by4.remove((b.v4Addr & 0xffffffffL) << 16 | b.v4Port);
        ports.release(b.v4Addr, b.v4Port);
        Source src = new Source(b.v6Hi, b.v6Lo);
        int[] c = perSource.get(src);
        if (c != null && --c[0] == 0) perSource.remove(src);
      }
    }
    return removed;
  }

  public List<BibEntry> bibSnapshot() {
    return new ArrayList<>(by6.values());
  }

  public List<Session> sessionSnapshot() {
    List<Session> out = new ArrayList<>();
    for (BibEntry b : by6.values()) out.addAll(b.sessions.values());
    return out;
  }
}
