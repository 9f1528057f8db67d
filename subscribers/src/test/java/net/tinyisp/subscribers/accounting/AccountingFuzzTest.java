package net.tinyisp.subscribers.accounting;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.tinyisp.radius.server.AccountingRecord;
import net.tinyisp.subscribers.model.PasswordHash;

/**
 * Accounting attributes come from the network: whatever their text, {@link AcctUpdate#from} yields an update with
 * counters in range or a named drop, never an exception; and the period split of any delta adds up exactly.
 * Runs its seeds quickly under plain {@code verify}; fuzz for real with {@code JAZZER_FUZZ=1}.
 */
class AccountingFuzzTest {
  private static final String[] NAMES = {"Acct-Status-Type", "User-Name", "Acct-Session-Id", "Acct-Input-Octets",
      "Acct-Output-Octets", "Acct-Input-Gigawords", "Acct-Output-Gigawords", "Acct-Session-Time", "NAS-IP-Address",
      "NAS-IPv6-Address", "Acct-Terminate-Cause", "Framed-IPv6-Prefix"};

  @FuzzTest(maxDuration = "30s")
  void parsingNeverThrowsAndCountersStayInRange(FuzzedDataProvider data) {
    Map<String, List<String>> attrs = new LinkedHashMap<>();
    int n = data.consumeInt(0, 12);
    for (int i = 0; i < n; i++) {
      attrs.put(data.pickValue(NAMES), List.of(data.consumeString(24)));
    }
    AccountingRecord r = new AccountingRecord(Instant.ofEpochSecond(data.consumeLong(0, 4_102_444_800L)),
        "2001:db8::1", "x", attrs);
    AcctUpdate.Parsed p = AcctUpdate.from(r);
    if ((p.update() == null) == (p.dropped() == null)) throw new IllegalStateException("update xor drop: " + p);
    if (p.update() != null) {
      AcctUpdate u = p.update();
      if (u.inputOctets() < 0 || u.outputOctets() < 0 || u.sessionTime() < 0) {
        throw new IllegalStateException("negative counter: " + u);
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void periodSharesAlwaysAddUp(FuzzedDataProvider data) {
    UsagePeriod period = new UsagePeriod(data.pickValue(UsagePeriod.Length.values()), data.consumeInt(1, 28),
        ZoneOffset.ofHours(data.consumeInt(-12, 14)));
    long a = data.consumeLong(0, 4_102_444_800_000L);
    long b = data.consumeLong(0, 4_102_444_800_000L);
    long octets = data.consumeLong(0, Long.MAX_VALUE);
    Instant from = Instant.ofEpochMilli(Math.min(a, b));
    Instant to = Instant.ofEpochMilli(Math.max(a, b));
    if (to.toEpochMilli() - from.toEpochMilli() > 400L * 86_400_000L) return; // bounded work per input
    long sum = 0;
    for (UsagePeriod.Share s : period.split(from, to, octets)) {
      if (s.octets() < 0) throw new IllegalStateException("negative share");
      sum += s.octets();
    }
    if (sum != octets) throw new IllegalStateException("shares add up to " + sum + ", not " + octets);
  }

  @FuzzTest(maxDuration = "30s")
  void storedPasswordTextNeverThrowsOnVerify(FuzzedDataProvider data) {
    String stored = data.pickValue(new String[] {"$pbkdf2-sha256$", "{SSHA}", "{SSHA256}", "{SSHA512}", "{SHA}"})
        + data.consumeString(120);
    PasswordHash.verify(stored, data.consumeRemainingAsString());
  }
}
