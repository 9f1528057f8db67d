package net.tinyisp.subscribers.accounting;

import java.time.Instant;
import net.tinyisp.radius.server.AccountingRecord;

/**
 * One Accounting-Request reduced to what the store records, with 64-bit counters.
 *
 * @param nas the NAS's address (where CoA/Disconnect go), RFC 5952 text
 * @param gigawords whether the NAS sent Acct-Input/Output-Gigawords (then counters are 64-bit and never wrap)
 * @param interimInterval seconds the session is expected to report in; 0 = use the store's default
 */
public record AcctUpdate(Instant received, String nas, AcctStatus status, String username, String sessionId,
    String nasPort, String framedIpv6Prefix, long inputOctets, long outputOctets, boolean gigawords,
    long sessionTime, String terminateCause, int interimInterval) {

  /** A parse result: the update, or the reason it cannot be recorded. */
  public record Parsed(AcctUpdate update, AccountingOutcome dropped) {}

  public AcctUpdate withInterimInterval(int seconds) {
    return new AcctUpdate(received, nas, status, username, sessionId, nasPort, framedIpv6Prefix, inputOctets,
        outputOctets, gigawords, sessionTime, terminateCause, seconds);
  }

  /** Reads the RFC 2866/2869 attributes from the server's decoded record. */
  public static Parsed from(AccountingRecord r) {
    AcctStatus status = AcctStatus.parse(r.first("Acct-Status-Type"));
    if (status == null) return new Parsed(null, AccountingOutcome.DROPPED_UNKNOWN_STATUS);
    // RFC 2866 §5.1: Accounting-On/Off concern the whole NAS; no session or user
    String nas = firstNonNull(r.first("NAS-IP-Address"), r.first("NAS-IPv6-Address"), r.nasAddress());
    if (status == AcctStatus.ACCOUNTING_ON || status == AcctStatus.ACCOUNTING_OFF) {
      return new Parsed(new AcctUpdate(r.received(), nas, status, "", "", null, null, 0, 0, false, 0, null, 0),
          null);
    }
    String session = r.first("Acct-Session-Id");
    if (session == null || session.isEmpty()) return new Parsed(null, AccountingOutcome.DROPPED_NO_SESSION_ID);
    String user = r.first("User-Name");
    if (user == null || user.isEmpty()) return new Parsed(null, AccountingOutcome.DROPPED_NO_USERNAME);
    try {
      String inGw = r.first("Acct-Input-Gigawords");
      String outGw = r.first("Acct-Output-Gigawords");
      long in = Counters.total(u32(r.first("Acct-Input-Octets")), u32(inGw));
      long out = Counters.total(u32(r.first("Acct-Output-Octets")), u32(outGw));
      return new Parsed(new AcctUpdate(r.received(), nas, status, user, session, r.first("NAS-Port"),
          r.first("Framed-IPv6-Prefix"), in, out, inGw != null || outGw != null, u32(r.first("Acct-Session-Time")),
          r.first("Acct-Terminate-Cause"), 0), null);
    } catch (NumberFormatException e) {
      return new Parsed(null, AccountingOutcome.DROPPED_BAD_COUNTER);
    }
  }

  private static long u32(String text) {
    if (text == null) return 0;
    long v = Long.parseLong(text.strip());
    if (v < 0 || v > 0xffffffffL) throw new NumberFormatException(text);
    return v;
  }

  private static String firstNonNull(String... v) {
    for (String s : v) if (s != null && !s.isEmpty()) return s;
    return "";
  }
}
