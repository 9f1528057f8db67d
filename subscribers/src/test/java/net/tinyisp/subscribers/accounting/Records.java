package net.tinyisp.subscribers.accounting;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.tinyisp.radius.server.AccountingRecord;

/** Accounting-Requests as the radius server hands them to the sink, for tests. */
final class Records {
  static final String NAS = "2001:db8::1";

  private Records() {}

  static AccountingRecord acct(Instant at, String status, String user, String session, long inTotal, long outTotal,
      long sessionTime) {
    Map<String, List<String>> a = new LinkedHashMap<>();
    a.put("Acct-Status-Type", List.of(status));
    a.put("User-Name", List.of(user));
    a.put("Acct-Session-Id", List.of(session));
    a.put("Acct-Input-Octets", List.of(Long.toString(inTotal & 0xffffffffL)));
    a.put("Acct-Input-Gigawords", List.of(Long.toString(inTotal >>> 32)));
    a.put("Acct-Output-Octets", List.of(Long.toString(outTotal & 0xffffffffL)));
    a.put("Acct-Output-Gigawords", List.of(Long.toString(outTotal >>> 32)));
    a.put("Acct-Session-Time", List.of(Long.toString(sessionTime)));
    if (status.equals("Stop")) a.put("Acct-Terminate-Cause", List.of("User-Request"));
    return new AccountingRecord(at, NAS, status, a);
  }

  static AccountingRecord nas(Instant at, String status) {
    return new AccountingRecord(at, NAS, status, Map.of("Acct-Status-Type", List.of(status)));
  }
}
