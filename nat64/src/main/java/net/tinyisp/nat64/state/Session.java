package net.tinyisp.nat64.state;

/**
 * A session table entry (RFC 6146 §3.2): its BIB entry plus the IPv4 remote (Z,z). The IPv6 view of the remote is
 * pool6 + Z with the same port, so it is not stored.
 */
public final class Session {
  public final BibEntry bib;
  public final int remoteAddr;
  public final int remotePort;
  TcpState tcpState;
  long expiresAtMillis;
  /** Set when the session leaves its table, so per-thread flow caches stop returning it. */
  boolean removed;

  Session(BibEntry bib, int remoteAddr, int remotePort, TcpState tcpState) {
    this.bib = bib;
    this.remoteAddr = remoteAddr;
    this.remotePort = remotePort;
    this.tcpState = tcpState;
  }

  public TcpState tcpState() {
    return tcpState;
  }

  public boolean isRemoved() {
    return removed;
  }

  public long expiresAtMillis() {
    return expiresAtMillis;
  }
}
