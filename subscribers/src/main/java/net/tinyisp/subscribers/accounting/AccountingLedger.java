package net.tinyisp.subscribers.accounting;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.subscribers.store.Dialect;

/**
 * Applies one accounting update inside the caller's transaction: the session row (last 64-bit counters), the usage
 * of each period the delta falls in, and the raw record. Usage comes from deltas between a session's records, so a
 * period rolls over without the NAS restarting anything, and a retransmitted record adds nothing.
 */
public final class AccountingLedger {
  private final Dialect dialect;
  private final UsagePeriod period;
  private final int defaultInterimInterval;

  public AccountingLedger(Dialect dialect, UsagePeriod period, int defaultInterimInterval) {
    this.dialect = dialect;
    this.period = period;
    this.defaultInterimInterval = defaultInterimInterval;
  }

  public UsagePeriod period() {
    return period;
  }

  /**
   * What one update did.
   *
   * @param periodStart the period of the record's arrival
   * @param periodOctets the subscriber's in + out octets in that period after this update
   * @param notes anomalies worth counting (wrap, counter reset, reopened session, sessions closed by a NAS)
   */
  public record Applied(AcctUpdate update, Instant periodStart, long periodOctets, List<AccountingOutcome> notes,
      int sessionsClosed) {}

  /** One update in its own statement scope (tests, single writes). */
  public Applied apply(Connection c, AcctUpdate u) throws SQLException {
    try (StatementCache st = new StatementCache(c)) {
      return apply(st, u);
    }
  }

  /** One update of a batch, reusing the batch's prepared statements. */
  public Applied apply(StatementCache st, AcctUpdate u) throws SQLException {
    List<AccountingOutcome> notes = new ArrayList<>();
    long now = u.received().toEpochMilli();
    if (u.status() == AcctStatus.ACCOUNTING_ON || u.status() == AcctStatus.ACCOUNTING_OFF) {
      int closed;
      // RFC 2866 §5.1: On/Off mean the NAS (re)started or stops; whatever it had open is gone
      PreparedStatement closeNas = st.get("UPDATE acct_sessions SET stopped_ms = ?, stop_cause = ?"
          + " WHERE nas = ? AND stopped_ms IS NULL");
      closeNas.setLong(1, now);
      closeNas.setString(2, u.status().dictionaryName());
      closeNas.setString(3, u.nas());
      closed = closeNas.executeUpdate();
      if (closed > 0) notes.add(AccountingOutcome.NAS_SESSIONS_CLOSED);
      insertRecord(st, u);
      return new Applied(u, period.start(u.received()), 0, notes, closed);
    }

    long prevIn = 0, prevOut = 0, prevMs;
    boolean exists = false, wasStopped = false;
    String stopCause = null;
    int interval = u.interimInterval() > 0 ? u.interimInterval() : defaultInterimInterval;
    PreparedStatement readSession = st.get("SELECT input_octets, output_octets, updated_ms, stopped_ms,"
        + " stop_cause, interim_interval FROM acct_sessions WHERE nas = ? AND session_id = ?" + dialect.lockRow());
    readSession.setString(1, u.nas());
    readSession.setString(2, u.sessionId());
    try (ResultSet r = readSession.executeQuery()) {
      if (r.next()) {
        exists = true;
        prevIn = r.getLong(1);
        prevOut = r.getLong(2);
        prevMs = r.getLong(3);
        r.getLong(4);
        wasStopped = !r.wasNull();
        stopCause = r.getString(5);
        if (u.interimInterval() <= 0) interval = r.getInt(6);
      } else {
        // first record we see of this session (its Start was lost or predates us): it began Acct-Session-Time ago
        prevMs = now - Math.min(u.sessionTime(), 366L * 86400) * 1000;
      }
    }
    Counters.Delta din = Counters.delta(prevIn, u.inputOctets(), u.gigawords());
    Counters.Delta dout = Counters.delta(prevOut, u.outputOctets(), u.gigawords());
    if (din.anomaly() != null) notes.add(din.anomaly());
    if (dout.anomaly() != null && dout.anomaly() != din.anomaly()) notes.add(dout.anomaly());

    Long stoppedMs = null;
    String cause = null;
    if (u.status() == AcctStatus.STOP) {
      stoppedMs = now;
      cause = u.terminateCause() != null ? u.terminateCause() : "Stop";
    } else if (wasStopped && "Stale".equals(stopCause)) {
      notes.add(AccountingOutcome.SESSION_REOPENED); // the NAS still has it: our stale guess was wrong
    } else if (wasStopped) {
      // a late Interim after the Stop: keep the session stopped, still count its octets
      stoppedMs = prevMs;
      cause = stopCause;
    }

    if (exists) {
      PreparedStatement updateSession = st.get("UPDATE acct_sessions SET username = ?, updated_ms = ?,"
          + " stopped_ms = ?, stop_cause = ?, input_octets = ?, output_octets = ?, session_time = ?,"
          + " interim_interval = ?, framed_ipv6_prefix = COALESCE(?, framed_ipv6_prefix)"
          + " WHERE nas = ? AND session_id = ?");
      updateSession.setString(1, u.username());
      updateSession.setLong(2, Math.max(now, prevMs));
      updateSession.setObject(3, stoppedMs, java.sql.Types.BIGINT);
      updateSession.setString(4, cause);
      updateSession.setLong(5, u.inputOctets());
      updateSession.setLong(6, u.outputOctets());
      updateSession.setLong(7, u.sessionTime());
      updateSession.setInt(8, interval);
      updateSession.setString(9, u.framedIpv6Prefix());
      updateSession.setString(10, u.nas());
      updateSession.setString(11, u.sessionId());
      updateSession.executeUpdate();
    } else {
      PreparedStatement insertSession = st.get("INSERT INTO acct_sessions (nas, session_id, username, nas_port,"
          + " framed_ipv6_prefix, started_ms, updated_ms, stopped_ms, input_octets, output_octets, session_time,"
          + " interim_interval, stop_cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      insertSession.setString(1, u.nas());
      insertSession.setString(2, u.sessionId());
      insertSession.setString(3, u.username());
      insertSession.setString(4, u.nasPort());
      insertSession.setString(5, u.framedIpv6Prefix());
      insertSession.setLong(6, prevMs);
      insertSession.setLong(7, now);
      insertSession.setObject(8, stoppedMs, java.sql.Types.BIGINT);
      insertSession.setLong(9, u.inputOctets());
      insertSession.setLong(10, u.outputOctets());
      insertSession.setLong(11, u.sessionTime());
      insertSession.setInt(12, interval);
      insertSession.setString(13, cause);
      insertSession.executeUpdate();
    }

    Instant from = Instant.ofEpochMilli(Math.min(prevMs, now));
    List<UsagePeriod.Share> inShares = period.split(from, u.received(), din.octets());
    List<UsagePeriod.Share> outShares = period.split(from, u.received(), dout.octets());
    for (int i = 0; i < inShares.size(); i++) {
      addUsage(st, u.username(), inShares.get(i).periodStart(), inShares.get(i).octets(), outShares.get(i).octets());
    }
    insertRecord(st, u);
    Instant current = period.start(u.received());
    return new Applied(u, current, usage(st, u.username(), current), notes, 0);
  }

  private static void addUsage(StatementCache st, String user, Instant periodStart, long in, long out)
      throws SQLException {
    if (in == 0 && out == 0) return;
    PreparedStatement upsertUsage = st.get("INSERT INTO usage_periods (username, period_start_ms,"
        + " input_octets, output_octets) VALUES (?, ?, ?, ?) ON CONFLICT (username, period_start_ms) DO UPDATE SET"
        + " input_octets = usage_periods.input_octets + excluded.input_octets,"
        + " output_octets = usage_periods.output_octets + excluded.output_octets");
    upsertUsage.setString(1, user);
    upsertUsage.setLong(2, periodStart.toEpochMilli());
    upsertUsage.setLong(3, in);
    upsertUsage.setLong(4, out);
    upsertUsage.executeUpdate();
  }

  /** In + out octets of a subscriber in the period starting at {@code periodStart}. */
  public static long usage(Connection c, String user, Instant periodStart) throws SQLException {
    try (StatementCache st = new StatementCache(c)) {
      return usage(st, user, periodStart);
    }
  }

  static long usage(StatementCache st, String user, Instant periodStart) throws SQLException {
    PreparedStatement readUsage = st.get("SELECT input_octets + output_octets FROM usage_periods"
        + " WHERE username = ? AND period_start_ms = ?");
    readUsage.setString(1, user);
    readUsage.setLong(2, periodStart.toEpochMilli());
    try (ResultSet r = readUsage.executeQuery()) {
      return r.next() ? r.getLong(1) : 0;
    }
  }

  private static void insertRecord(StatementCache st, AcctUpdate u) throws SQLException {
    PreparedStatement insertRaw = st.get("INSERT INTO acct_records (received_ms, nas, session_id, username,"
        + " status_type, input_octets, output_octets, session_time, terminate_cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
        + " ?)");
    insertRaw.setLong(1, u.received().toEpochMilli());
    insertRaw.setString(2, u.nas());
    insertRaw.setString(3, u.sessionId());
    insertRaw.setString(4, u.username());
    insertRaw.setString(5, u.status().dictionaryName());
    insertRaw.setLong(6, u.inputOctets());
    insertRaw.setLong(7, u.outputOctets());
    insertRaw.setLong(8, u.sessionTime());
    insertRaw.setString(9, u.terminateCause());
    insertRaw.executeUpdate();
  }
}
