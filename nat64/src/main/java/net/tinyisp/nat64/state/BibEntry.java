package net.tinyisp.nat64.state;

import java.util.HashMap;
import java.util.Map;

/**
 * One Binding Information Base entry (RFC 6146 §3.1): the IPv6 transport address (X',x) bound to the IPv4 transport
 * address (T,t). Holds its sessions keyed by the IPv4 remote (Z,z) so that address-dependent filtering and the
 * "no session left, drop the binding" rule are local lookups. Guarded by the owning {@link StateTable}'s lock.
 */
public final class BibEntry {
  public final L4Protocol protocol;
  public final long v6Hi;
  public final long v6Lo;
  public final int v6Port;
  public final int v4Addr;
  public final int v4Port;
  public final boolean isStatic;
  final Map<Long, Session> sessions = new HashMap<>();

  BibEntry(L4Protocol protocol, long v6Hi, long v6Lo, int v6Port, int v4Addr, int v4Port, boolean isStatic) {
    this.protocol = protocol;
    this.v6Hi = v6Hi;
    this.v6Lo = v6Lo;
    this.v6Port = v6Port;
    this.v4Addr = v4Addr;
    this.v4Port = v4Port;
    this.isStatic = isStatic;
  }

  public int sessionCount() {
    return sessions.size();
  }

  static long remoteKey(int addr, int port) {
    return (addr & 0xffffffffL) << 16 | port;
  }

  boolean hasSessionWithAddress(int remoteAddr) {
    for (Session s : sessions.values()) {
      if (s.remoteAddr == remoteAddr) return true;
    }
    return false;
  }
}
