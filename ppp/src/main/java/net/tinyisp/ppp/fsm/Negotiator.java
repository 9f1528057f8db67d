package net.tinyisp.ppp.fsm;

import java.util.List;
import net.tinyisp.ppp.wire.ConfigOption;

/**
 * What differs between LCP, IPCP and IPv6CP (pppd's fsm callbacks, as one small interface): which options we ask
 * for, how we judge the peer's, and how we react to its Ack/Nak/Reject of ours. Implementations are per-option
 * classes composed by the protocol; they know no sockets.
 */
public interface Negotiator {

  /** The options of our next Configure-Request. */
  List<ConfigOption> request();

  /** Judges the peer's Configure-Request (RFC 1661 §5.1-5.4): Ack as a whole, or Nak/Reject some options. */
  Verdict check(List<ConfigOption> peerOptions);

  /** The peer acknowledged exactly our last request: those values are in force. */
  void acked(List<ConfigOption> ours);

  /** The peer Nak'd some of our options with values it would accept; adjust the next request. */
  void nakked(List<ConfigOption> suggestions);

  /** The peer rejected some of our options; stop asking for them (false: we cannot do without one of them). */
  boolean rejected(List<ConfigOption> rejected);

  /** The peer's Configure-Request verdict: {@code code} is Configure-Ack, -Nak or -Reject; options to send back. */
  record Verdict(int code, List<ConfigOption> options) {
    public Verdict {
      options = List.copyOf(options);
    }
  }
}
