package net.tinyisp.ppp.fsm;

import net.tinyisp.ppp.wire.ControlPacket;

/** What a {@link ControlProtocol} asks its caller to do, in order. */
public sealed interface Output {
  /** Send this packet on the control protocol's PPP protocol number. */
  record Send(ControlPacket packet) implements Output {}

  /** This-Layer-Up: negotiation finished, the agreed options are in the negotiator. */
  record LayerUp() implements Output {}

  /** This-Layer-Down: leaving Opened. */
  record LayerDown() implements Output {}

  /** This-Layer-Started: the lower layer is wanted. */
  record LayerStarted() implements Output {}

  /** This-Layer-Finished: the lower layer is no longer needed (LCP over PPPoE: end the session with PADT). */
  record LayerFinished() implements Output {}

  /** The peer Protocol-Rejected one of our protocols (LCP only): that protocol's automaton gets RXJ-. */
  record ProtocolRejected(int protocol) implements Output {}

  /** LCP Echo-Reply from the peer (for the keepalive: lcp-echo-interval / lcp-echo-failure). */
  record EchoReplyReceived(int identifier, byte[] data) implements Output {}

  /**
   * A packet or event the automaton could not use; the caller counts it by reason. {@code malformed}: the packet
   * itself did not parse (§5 header or §6 options), as opposed to a well-formed packet at the wrong time.
   */
  record Dropped(String reason, boolean malformed) implements Output {
    public Dropped(String reason) {
      this(reason, false);
    }
  }
}
