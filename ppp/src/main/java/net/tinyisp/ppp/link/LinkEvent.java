package net.tinyisp.ppp.link;

/** What a {@link PppLink} asks the session layer (PPPoE, RADIUS, data plane) to do or to know. */
public sealed interface LinkEvent {
  /** Send a PPP packet: {@code protocol} (e.g. 0xc021) and its information field. */
  record Send(int protocol, byte[] payload) implements LinkEvent {}

  /** Check credentials (with RADIUS); answer with {@link PppLink#authenticated}. */
  sealed interface Credentials extends LinkEvent {
    String username();
  }

  record PapCredentials(String username, byte[] password) implements Credentials {}

  /** CHAP-MD5: RADIUS gets CHAP-Password = identifier + response and CHAP-Challenge (RFC 2865 §5.3, §5.40). */
  record ChapCredentials(String username, int identifier, byte[] challenge, byte[] response) implements Credentials {}

  /** IPv6CP is Opened: the subscriber's link-local is fe80::/64 + peerIdentifier; start RAs, DHCPv6, routes. */
  record Ipv6Up(long localIdentifier, long peerIdentifier) implements LinkEvent {}

  record Ipv6Down() implements LinkEvent {}

  /** Dual-stack only: IPCP is Opened with this address for the subscriber (RFC 1332). */
  record Ipv4Up(java.net.Inet4Address peer) implements LinkEvent {}

  record Ipv4Down() implements LinkEvent {}

  /** An IPv4 packet from the subscriber (protocol 0x0021, only once IPCP is Opened). */
  record Ipv4Packet(byte[] packet) implements LinkEvent {}

  /** An IPv6 packet from the subscriber (only once IPv6CP is Opened). */
  record Ipv6Packet(byte[] packet) implements LinkEvent {}

  /** The link is over: send PADT, accounting Stop with this cause (RFC 2866 §5.10). */
  record Finished(TerminateCause cause) implements LinkEvent {}

  /** Something arrived that could not be used; counted by reason ({@code malformed}: it did not even parse). */
  record Dropped(String reason, boolean malformed) implements LinkEvent {
    public Dropped(String reason) {
      this(reason, false);
    }
  }
}
