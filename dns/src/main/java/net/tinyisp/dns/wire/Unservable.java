package net.tinyisp.dns.wire;

import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;

/**
 * What every DNS handler does with a query it cannot serve, in one place: garbage too short to carry an ID and
 * responses are dropped silently; malformed queries get FORMERR (RFC 1035 §4.1.1), unknown opcodes NOTIMP, an EDNS
 * version we do not speak BADVERS (RFC 6891 §6.1.3). Each is counted under its drop reason.
 *
 * @param answer the error response to send, or null to send nothing
 */
public record Unservable(byte[] answer) {

  /** Null when the query is fine (status OK); otherwise what to answer, after counting the reason. */
  public static Unservable of(byte[] query, ParsedQuery q, int udpSize, Consumer<DropReason> drops) {
    return switch (q.status()) {
      case OK -> null;
      case DROP_SHORT -> count(drops, DropReason.QUERY_TOO_SHORT, null);
      case DROP_RESPONSE -> count(drops, DropReason.QUERY_IS_RESPONSE, null);
      case FORMERR -> count(drops, DropReason.QUERY_MALFORMED, Responses.error(query, q, Responses.FORMERR, udpSize));
      case NOTIMP -> count(drops, DropReason.QUERY_OPCODE, Responses.error(query, q, Responses.NOTIMP, udpSize));
      case BADVERS -> count(drops, DropReason.QUERY_BADVERS, Responses.error(query, q, Responses.BADVERS, udpSize));
    };
  }

  private static Unservable count(Consumer<DropReason> drops, DropReason reason, byte[] answer) {
    drops.accept(reason);
    return new Unservable(answer);
  }
}
