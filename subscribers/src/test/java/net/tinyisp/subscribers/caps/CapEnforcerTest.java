package net.tinyisp.subscribers.caps;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.tinyisp.radius.server.AccountingRecord;
import net.tinyisp.radius.server.AuthAccount;
import net.tinyisp.radius.server.ReplyItem;
import net.tinyisp.subscribers.accounting.AccountingConfig;
import net.tinyisp.subscribers.accounting.JdbcAccountingSink;
import net.tinyisp.subscribers.accounting.SessionLookup;
import net.tinyisp.subscribers.auth.SubscriberAuthBackend;
import net.tinyisp.subscribers.model.PasswordHash;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import net.tinyisp.subscribers.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapEnforcerTest {
  static final Instant T0 = Instant.parse("2026-03-30T10:00:00Z");

  @TempDir Path dir;
  Database db;
  JdbcSubscriberStore store;
  JdbcAccountingSink sink;
  CapEnforcer enforcer;
  SubscriberAuthBackend auth;
  final RecordingNas nas = new RecordingNas();
  final MutableClock clock = new MutableClock(T0);

  void open(CapPolicy policy) throws Exception {
    db = Database.open(TestDatabases.sqlite(dir), 4);
    store = new JdbcSubscriberStore(db);
    store.addPlan(new Plan("home", 10240, 5120, 0, 0, 300, 0, List.of()));
    store.addPlan(new Plan("fast", 102400, 51200, 0, 0, 300, 0, List.of()));
    store.addSubscriber(new Subscriber("alice", new StoredPassword.Hashed(PasswordHash.pbkdf2("pw", 1000)), false,
        "home", null, null, true, 10_000));
    AccountingConfig cfg = AccountingConfig.defaults();
    var registry = new SimpleMeterRegistry();
    CapLedger caps = new CapLedger(db);
    enforcer = new CapEnforcer(store, caps, new SessionLookup(db), new CoaLog(db), policy, cfg.usagePeriod(), nas,
        clock, Runnable::run, registry);
    sink = new JdbcAccountingSink(db, store, cfg, registry, enforcer);
    auth = new SubscriberAuthBackend(store, caps, policy, cfg.usagePeriod(), clock);
  }

  @AfterEach
  void close() {
    if (sink != null) sink.close();
    if (db != null) db.close();
  }

  void acct(Instant t, String status, long in, long out) throws Exception {
    clock.set(t);
    Map<String, List<String>> a = new LinkedHashMap<>();
    a.put("Acct-Status-Type", List.of(status));
    a.put("User-Name", List.of("alice"));
    a.put("Acct-Session-Id", List.of("sess-1"));
    a.put("NAS-IP-Address", List.of("203.0.113.7"));
    a.put("Acct-Input-Octets", List.of(Long.toString(in)));
    a.put("Acct-Output-Octets", List.of(Long.toString(out)));
    sink.record(new AccountingRecord(t, "203.0.113.7", status, a));
  }

  List<String> coaLog() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT kind, reason, result, nas, session_id FROM coa_log ORDER BY id")) {
      while (r.next()) {
        out.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getString(4) + " "
            + r.getString(5));
      }
    }
    return out;
  }

  static String attr(List<ReplyItem> items, String name) {
    return items.stream().filter(i -> i.attribute().equals(name)).map(ReplyItem::value).findFirst().orElse(null);
  }

  @Test
  void passingTheCapSendsOneCoaWithCappedSpeedsAndTheNextPeriodRestoresThePlan() throws Exception {
    open(CapPolicy.defaults());
    acct(T0, "Start", 0, 0);
    acct(T0.plusSeconds(300), "Interim-Update", 3000, 6000);
    assertThat(nas.sent).isEmpty();
    acct(T0.plusSeconds(600), "Interim-Update", 4000, 6500); // 10 500 octets >= 10 000 cap
    assertThat(nas.sent).hasSize(1);
    RecordingNas.Sent coa = nas.sent.getFirst();
    assertThat(coa.kind()).isEqualTo("coa");
    assertThat(coa.session()).isEqualTo(new NasCommands.NasSession("203.0.113.7", "alice", "sess-1"));
    assertThat(attr(coa.attributes(), "RP-Downstream-Speed-Limit")).isEqualTo("1024");
    assertThat(attr(coa.attributes(), "RP-Upstream-Speed-Limit")).isEqualTo("512");
    assertThat(attr(coa.attributes(), "Acct-Session-Id")).isEqualTo("sess-1");
    acct(T0.plusSeconds(900), "Interim-Update", 9000, 9000);
    assertThat(nas.sent).as("enforced once per period").hasSize(1);
    assertThat(coaLog()).containsExactly("CoA-Request CAP ACK 203.0.113.7 sess-1");

    // logging in again while capped keeps the capped speeds
    AuthAccount acc = auth.find("alice").orElseThrow();
    assertThat(acc.enabled()).isTrue();
    assertThat(attr(acc.replyItems(), "RP-Downstream-Speed-Limit")).isEqualTo("1024");
    assertThat(acc.verifyPassword().test("pw")).isTrue();
    assertThat(acc.verifyPassword().test("pw")).as("second check from the in-memory cache").isTrue();
    assertThat(acc.verifyPassword().test("wrong")).isFalse();
    assertThat(acc.cleartext()).isNull();

    // the month rolls over (30 March -> 1 April): the plan comes back without the session restarting
    clock.set(Instant.parse("2026-04-01T00:00:05Z"));
    assertThat(enforcer.restoreAfterRollOver()).isEqualTo(1);
    assertThat(attr(nas.sent.getLast().attributes(), "RP-Downstream-Speed-Limit")).isEqualTo("10240");
    assertThat(coaLog()).last().isEqualTo("CoA-Request PERIOD_ROLL_OVER ACK 203.0.113.7 sess-1");
    assertThat(enforcer.restoreAfterRollOver()).isZero();
    assertThat(attr(auth.find("alice").orElseThrow().replyItems(), "RP-Downstream-Speed-Limit")).isEqualTo("10240");
  }

  @Test
  void disconnectPolicySendsDisconnectRequestAndRejectsNewLoginsAndNakIsRecorded() throws Exception {
    open(new CapPolicy(CapPolicy.Action.DISCONNECT, null, null));
    nas.answer = new NasCommands.Answer(NasCommands.Result.NAK, "Error-Cause=Session-Context-Not-Found");
    acct(T0, "Start", 0, 0);
    acct(T0.plusSeconds(300), "Interim-Update", 5000, 5000);
    assertThat(nas.sent).extracting(RecordingNas.Sent::kind).containsExactly("disconnect");
    assertThat(coaLog()).containsExactly("Disconnect-Request CAP NAK 203.0.113.7 sess-1");
    assertThat(auth.find("alice").orElseThrow().enabled()).isFalse();
  }

  @Test
  void aPlanChangeSendsTheNewSpeedsToOpenSessionsOnly() throws Exception {
    open(CapPolicy.defaults());
    acct(T0, "Start", 0, 0);
    store.setPlan("alice", "fast");
    var answers = enforcer.planChanged("alice");
    assertThat(answers).extracting(NasCommands.Answer::result).containsExactly(NasCommands.Result.ACK);
    assertThat(attr(nas.sent.getLast().attributes(), "RP-Downstream-Speed-Limit")).isEqualTo("102400");
    assertThat(coaLog()).containsExactly("CoA-Request PLAN_CHANGE ACK 203.0.113.7 sess-1");
    acct(T0.plusSeconds(60), "Stop", 1, 1);
    assertThat(enforcer.planChanged("alice")).isEmpty();
  }

  @Test
  void authBackendRepliesWithThePlanAttributesInKbitPerSecond() throws Exception {
    open(CapPolicy.defaults());
    store.putPlan(new Plan("home", 10240, 5120, 0, 0, 300, 3600,
        List.of(new net.tinyisp.subscribers.model.PlanReplyItem("Idle-Timeout", "600"))));
    store.addSubscriber(new Subscriber("bob", new StoredPassword.Cleartext("chap"), true, "home",
        net.tinyisp.common.net.IpPrefix.parse("2001:db8:1:2::/64"),
        net.tinyisp.common.net.IpPrefix.parse("2001:db8:a00::/48"), true, 0));
    AuthAccount bob = auth.find("bob").orElseThrow();
    assertThat(bob.cleartext()).isEqualTo("chap");
    assertThat(bob.replyItems()).containsExactly(
        new ReplyItem("Acct-Interim-Interval", "300"),
        new ReplyItem("RP-Upstream-Speed-Limit", "5120"),
        new ReplyItem("RP-Downstream-Speed-Limit", "10240"),
        new ReplyItem("Session-Timeout", "3600"),
        new ReplyItem("Framed-IPv6-Prefix", "2001:db8:1:2::/64"),
        new ReplyItem("Delegated-IPv6-Prefix", "2001:db8:a00::/48"),
        new ReplyItem("Idle-Timeout", "600"));
    assertThat(auth.find("nobody")).isEmpty();
    store.setEnabled("bob", false);
    assertThat(auth.find("bob").orElseThrow().enabled()).isFalse();
  }

  /**
   * A plan whose ceilings are above its rates sends them in Mikrotik-Rate-Limit (rx = the subscriber's upload, tx its
   * download; max-limit = ceiling, rate-min = plan), next to the RP rates; a capped subscriber gets no ceiling.
   */
  @Test
  void planCeilingsTravelInMikrotikRateLimit() throws Exception {
    open(CapPolicy.defaults());
    store.putPlan(new Plan("burst", 10000, 5000, 50000, 10000, 0, 0, List.of()));
    store.addSubscriber(new Subscriber("carol", new StoredPassword.Cleartext("pw"), true, "burst", null, null, true, 0));
    assertThat(auth.find("carol").orElseThrow().replyItems()).containsExactly(
        new ReplyItem("RP-Upstream-Speed-Limit", "5000"),
        new ReplyItem("RP-Downstream-Speed-Limit", "10000"),
        new ReplyItem("Mikrotik-Rate-Limit", "10000k/50000k 0/0 0/0 0/0 8 5000k/10000k"));
    // only the download borrows: the upload's ceiling repeats its rate
    assertThat(net.tinyisp.subscribers.auth.SubscriberAuthBackend.mikrotikCeilings(
        new Plan("down-only", 10000, 5000, 50000, 0, 0, 0, List.of()))).isEqualTo("5000k/50000k 0/0 0/0 0/0 8 5000k/10000k");
    // no ceiling above a rate: nothing sent, as before
    assertThat(net.tinyisp.subscribers.auth.SubscriberAuthBackend.mikrotikCeilings(Plan.of("flat", 10000, 5000))).isNull();
  }
}
