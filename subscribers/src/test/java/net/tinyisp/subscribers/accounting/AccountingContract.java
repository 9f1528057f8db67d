package net.tinyisp.subscribers.accounting;

import static net.tinyisp.subscribers.accounting.Records.acct;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Accounting behaviour every JDBC dialect must show. */
abstract class AccountingContract {
  static final long G = 1L << 32;

  protected String url;
  protected Database db;
  protected JdbcSubscriberStore store;
  protected JdbcAccountingSink sink;
  protected SimpleMeterRegistry registry;
  protected final List<AccountingLedger.Applied> seen = new CopyOnWriteArrayList<>();

  protected abstract String newUrl() throws Exception;

  protected void dropUrl(String url) throws Exception {}

  @BeforeEach
  void open() throws Exception {
    url = newUrl();
    db = Database.open(url, 4);
    store = new JdbcSubscriberStore(db);
    store.addPlan(new Plan("home", 10240, 5120, 0, 0, 60, 0, List.of()));
    store.addSubscriber(new Subscriber("alice", new StoredPassword.Cleartext("pw"), true, "home", null, null, true,
        0));
    registry = new SimpleMeterRegistry();
    sink = new JdbcAccountingSink(db, store, AccountingConfig.defaults(), registry, seen::add);
  }

  @AfterEach
  void close() throws Exception {
    if (sink != null) sink.close();
    if (db != null) db.close();
    dropUrl(url);
  }

  long scalar(String sql, Object... args) throws Exception {
    try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  Map<Instant, Long> usage(String user) throws Exception {
    Map<Instant, Long> out = new TreeMap<>();
    try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement(
        "SELECT period_start_ms, input_octets + output_octets FROM usage_periods WHERE username = ?")) {
      p.setString(1, user);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) out.put(Instant.ofEpochMilli(r.getLong(1)), r.getLong(2));
      }
    }
    return out;
  }

  @Test
  void startInterimStopAreCommittedBeforeRecordReturns() throws Exception {
    Instant t0 = Instant.parse("2026-03-10T08:00:00Z");
    sink.record(acct(t0, "Start", "alice", "S1", 0, 0, 0));
    // a fresh connection sees it: committed, not just written in the sink's transaction
    assertThat(scalar("SELECT COUNT(*) FROM acct_sessions WHERE session_id = 'S1' AND stopped_ms IS NULL"))
        .isEqualTo(1);
    assertThat(scalar("SELECT interim_interval FROM acct_sessions WHERE session_id = 'S1'"))
        .as("the plan's interim interval is kept for the stale check").isEqualTo(60);
    sink.record(acct(t0.plusSeconds(60), "Interim-Update", "alice", "S1", 1000, 5000, 60));
    sink.record(acct(t0.plusSeconds(90), "Stop", "alice", "S1", 1500, 9000, 90));
    assertThat(scalar("SELECT COUNT(*) FROM acct_records WHERE session_id = 'S1'")).isEqualTo(3);
    assertThat(scalar("SELECT stopped_ms FROM acct_sessions WHERE session_id = 'S1'"))
        .isEqualTo(t0.plusSeconds(90).toEpochMilli());
    assertThat(usage("alice")).containsExactly(Map.entry(Instant.parse("2026-03-01T00:00:00Z"), 10_500L));
    assertThat(registry.counter("tinyisp_subscribers_acct_recorded").count()).isEqualTo(3);
  }

  @Test
  void periodRollOverMidSessionWithGigawordWrapsSumsToTheNasFinalCounters() throws Exception {
    // a session from 30 January to 2 February, interims every 12 hours, counters crossing several 4 GiB wraps
    Instant t = Instant.parse("2026-01-30T06:00:00Z");
    sink.record(acct(t, "Start", "alice", "S2", 0, 0, 0));
    long in = 0, out = 0, time = 0;
    for (int i = 1; i <= 6; i++) {
      t = t.plusSeconds(12 * 3600);
      time += 12 * 3600;
      in += 3 * G + 12345 * i; // more than one 32-bit wrap per interval: gigawords carry it
      out += G / 2 + 777;
      sink.record(acct(t, "Interim-Update", "alice", "S2", in, out, time));
      // the NAS retransmits the same interim (lost response): it must add nothing
      sink.record(acct(t.plusSeconds(3), "Interim-Update", "alice", "S2", in, out, time));
    }
    t = t.plusSeconds(600);
    in += 100;
    out += 200;
    sink.record(acct(t, "Stop", "alice", "S2", in, out, time + 600));

    Map<Instant, Long> periods = usage("alice");
    assertThat(periods.keySet()).containsExactly(Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(periods.values().stream().mapToLong(Long::longValue).sum())
        .as("the sum of all periods equals the NAS's final counters").isEqualTo(in + out);
    // the interim at 2026-02-01T06:00 covers 18:00..06:00; half of it (6 h of 12) belongs to January
    assertThat(periods.get(Instant.parse("2026-01-01T00:00:00Z"))).isGreaterThan(periods.get(
        Instant.parse("2026-02-01T00:00:00Z")));
    assertThat(seen.getLast().periodStart()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(seen.getLast().periodOctets()).isEqualTo(periods.get(Instant.parse("2026-02-01T00:00:00Z")));
  }

  @Test
  void aNasCounterResetMidSessionIsCountedFromZero() throws Exception {
    Instant t = Instant.parse("2026-05-05T00:00:00Z");
    sink.record(acct(t, "Interim-Update", "alice", "S3", 5 * G, 0, 600));
    sink.record(acct(t.plusSeconds(60), "Interim-Update", "alice", "S3", 1000, 0, 660));
    assertThat(usage("alice").values()).containsExactly(5 * G + 1000);
    assertThat(registry.counter("tinyisp_subscribers_acct_counter_backwards").count()).isEqualTo(1);
  }

  @Test
  void accountingOnClosesTheNasSessionsAndBadRecordsAreCountedNotStored() throws Exception {
    Instant t = Instant.parse("2026-05-05T00:00:00Z");
    sink.record(acct(t, "Start", "alice", "A", 0, 0, 0));
    sink.record(acct(t, "Start", "bob", "B", 0, 0, 0));
    sink.record(Records.nas(t.plusSeconds(30), "Accounting-On"));
    assertThat(scalar("SELECT COUNT(*) FROM acct_sessions WHERE stopped_ms IS NULL")).isZero();
    assertThat(registry.counter("tinyisp_subscribers_acct_nas_sessions_closed").count()).isEqualTo(2);

    sink.record(new net.tinyisp.radius.server.AccountingRecord(t, Records.NAS, "Start",
        Map.of("Acct-Status-Type", List.of("Start"), "User-Name", List.of("alice"))));
    sink.record(new net.tinyisp.radius.server.AccountingRecord(t, Records.NAS, "9",
        Map.of("Acct-Status-Type", List.of("9"))));
    assertThat(registry.counter("tinyisp_subscribers_acct_dropped_no_session_id").count()).isEqualTo(1);
    assertThat(registry.counter("tinyisp_subscribers_acct_dropped_unknown_status").count()).isEqualTo(1);
    assertThat(scalar("SELECT COUNT(*) FROM acct_records")).isEqualTo(3);
  }

  @Test
  void staleSessionsAreClosedAfterTwiceTheIntervalPlusSlackAndReopenedByALateInterim() throws Exception {
    Instant t = Instant.parse("2026-05-05T00:00:00Z");
    sink.record(acct(t, "Start", "alice", "S4", 0, 0, 0)); // plan interval 60 s
    sink.record(acct(t, "Start", "bob", "S5", 0, 0, 0)); // unknown subscriber: default 300 s
    StaleSessionCloser closer = new StaleSessionCloser(db, 60);
    // fake clock: 2 x 60 + 60 = 180 s after the last record
    assertThat(closer.closeStale(t.plusSeconds(180))).isZero();
    assertThat(closer.closeStale(t.plusSeconds(181))).isEqualTo(1);
    assertThat(scalar("SELECT COUNT(*) FROM acct_sessions WHERE session_id = 'S4' AND stop_cause = 'Stale'"
        + " AND stopped_ms = ?", t.toEpochMilli())).isEqualTo(1);
    assertThat(closer.closeStale(t.plusSeconds(660))).isZero();
    assertThat(closer.closeStale(t.plusSeconds(661))).isEqualTo(1);

    sink.record(acct(t.plusSeconds(700), "Interim-Update", "alice", "S4", 10, 20, 700));
    assertThat(scalar("SELECT COUNT(*) FROM acct_sessions WHERE session_id = 'S4' AND stopped_ms IS NULL"))
        .isEqualTo(1);
    assertThat(registry.counter("tinyisp_subscribers_acct_session_reopened").count()).isEqualTo(1);
  }

  @Test
  void concurrentCallersShareCommitsAndEveryAcknowledgedRecordIsStored() throws Exception {
    int callers = 32, each = 25;
    Instant t = Instant.parse("2026-05-05T00:00:00Z");
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int id = c;
        fs.add(ex.submit(() -> {
          for (int i = 0; i <= each; i++) {
            sink.record(acct(t.plusSeconds(i), i == 0 ? "Start" : "Interim-Update", "user" + id, "C" + id,
                1000L * i, 2000L * i, i));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) f.get(60, TimeUnit.SECONDS);
    }
    assertThat(scalar("SELECT COUNT(*) FROM acct_records")).isEqualTo(callers * (each + 1));
    assertThat(scalar("SELECT SUM(input_octets + output_octets) FROM usage_periods"))
        .isEqualTo(callers * 3000L * each);
    var batches = registry.find("tinyisp_subscribers_acct_commit_batch").summary();
    assertThat(batches.count()).as("fewer transactions than records").isLessThan(callers * (each + 1));
    assertThat(batches.max()).isGreaterThan(1);
  }

  @Test
  void asyncRecordsCompleteOnlyAfterTheirBatchCommitted() throws Exception {
    Instant t = Instant.parse("2026-05-05T00:00:00Z");
    List<java.util.concurrent.CompletableFuture<Void>> fs = new ArrayList<>();
    for (int s = 0; s < 20; s++) {
      for (int i = 0; i <= 10; i++) {
        fs.add(sink.recordAsync(acct(t.plusSeconds(i), i == 0 ? "Start" : "Interim-Update", "user" + s, "A" + s,
            100L * i, 0, i)));
      }
    }
    java.util.concurrent.CompletableFuture.allOf(fs.toArray(new java.util.concurrent.CompletableFuture[0]))
        .get(60, TimeUnit.SECONDS);
    assertThat(scalar("SELECT COUNT(*) FROM acct_records")).isEqualTo(220);
    assertThat(registry.counter("tinyisp_subscribers_acct_recorded").count()).isEqualTo(220);
    assertThat(seen).hasSize(220);
  }
}
