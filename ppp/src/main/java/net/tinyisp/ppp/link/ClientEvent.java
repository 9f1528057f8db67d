package net.tinyisp.ppp.link;

/** What a {@link ClientLink} (the subscriber's side, for the load-test client) reports. */
public sealed interface ClientEvent {
  record Send(int protocol, byte[] payload) implements ClientEvent {}

  /** IPv6CP is Opened: the link is usable. */
  record Up(long localIdentifier, long peerIdentifier) implements ClientEvent {}

  /** Authentication failed (CHAP Failure, PAP Nak) with the access concentrator's message. */
  record AuthFailed(String message) implements ClientEvent {}

  /** An IPv6 packet from the access concentrator. */
  record Ipv6Packet(byte[] packet) implements ClientEvent {}

  /** The link is over. */
  record Finished(String why) implements ClientEvent {}
}
