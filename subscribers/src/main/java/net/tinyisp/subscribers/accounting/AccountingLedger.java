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
      { PreparedStatement p = st.get("UPDATE acct_sessions SET stopped_ms = ?, stop_cause = ?"
          + " WHERE nas = ? AND stopped_ms IS NULL");
        p.setLong(1, now);
        p.setString(2, u.status().dictionaryName());
        p.setString(3, u.nas());
        closed = p.executeUpdate();
      }
      if (closed > 0) notes.add(AccountingOutcome.NAS_SESSIONS_CLOSED);
      insertRecord(st, u);
      return new Applied(u, period.start(u.received()), 0, notes, closed);
    }

    long prevIn = 0, prevOut = 0, prevMs;
    boolean exists = false, wasStopped = false;
    String stopCause = null;
    int interval = u.interimInterval() > 0 ? u.interimInterval() : defaultInterimInterval;
    { PreparedStatement p = st.get("SELECT input_octets, output_octets, updated_ms, stopped_ms,"
        + " stop_cause, interim_interval FROM acct_sessions WHERE nas = ? AND session_id = ?" + dialect.lockRow());
      p.setString(1, u.nas());
      p.setString(2, u.sessionId());
      try (ResultSet r = p.executeQuery()) {
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
      { PreparedStatement p = st.get("UPDATE acct_sessions SET username = ?, updated_ms = ?,"
          + " stopped_ms = ?, stop_cause = ?, input_octets = ?, output_octets = ?, session_time = ?,"
          + " interim_interval = ?, framed_ipv6_prefix = COALESCE(?, framed_ipv6_prefix)"
          + " WHERE nas = ? AND session_id = ?");
        p.setString(1, u.username());
        p.setLong(2, Math.max(now, prevMs));
        p.setObject(3, stoppedMs, java.sql.Types.BIGINT);
        p.setString(4, cause);
        p.setLong(5, u.inputOctets());
        p.setLong(6, u.outputOctets());
        p.setLong(7, u.sessionTime());
        p.setInt(8, interval);
        p.setString(9, u.framedIpv6Prefix());
        p.setString(10, u.nas());
        p.setString(11, u.sessionId());
        p.executeUpdate();
      }
    } else {
      { PreparedStatement p = st.get("INSERT INTO acct_sessions (nas, session_id, username, nas_port,"
          + " framed_ipv6_prefix, started_ms, updated_ms, stopped_ms, input_octets, output_octets, session_time,"
          + " interim_interval, stop_cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        p.setString(1, u.nas());
        p.setString(2, u.sessionId());
        p.setString(3, u.username());
        p.setString(4, u.nasPort());
        p.setString(5, u.framedIpv6Prefix());
        p.setLong(6, prevMs);
        p.setLong(7, now);
        p.setObject(8, stoppedMs, java.sql.Types.BIGINT);
        p.setLong(9, u.inputOctets());
        p.setLong(10, u.outputOctets());
        p.setLong(11, u.sessionTime());
        p.setInt(12, interval);
        p.setString(13, cause);
        p.executeUpdate();
      }
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

  private static void addUsage(StatementCache st, String user, Instant periodStart, long in, long out) throws SQLException {
    if (in == 0 && out == 0) return;
    { PreparedStatement p = st.get("INSERT INTO usage_periods (username, period_start_ms,"
        + " input_octets, output_octets) VALUES (?, ?, ?, ?) ON CONFLICT (username, period_start_ms) DO UPDATE SET"
        + " input_octets = usage_periods.input_octets + excluded.input_octets,"
        + " output_octets = usage_periods.output_octets + excluded.output_octets");
      p.setString(1, user);
      p.setLong(2, periodStart.toEpochMilli());
      p.setLong(3, in);
      p.setLong(4, out);
      p.executeUpdate();
    }
  }

  /** In + out octets of a subscriber in the period starting at {@code periodStart}. */
  public static long usage(Connection c, String user, Instant periodStart) throws SQLException {
    try (StatementCache st = new StatementCache(c)) {
      return usage(st, user, periodStart);
    }
  }

  static long usage(StatementCache st, String user, Instant periodStart) throws SQLException {
    { PreparedStatement p = st.get("SELECT input_octets + output_octets FROM usage_periods"
        + " WHERE username = ? AND period_start_ms = ?");
      p.setString(1, user);
      p.setLong(2, periodStart.toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  private static void insertRecord(StatementCache st, AcctUpdate u) throws SQLException {
    { PreparedStatement p = st.get("INSERT INTO acct_records (received_ms, nas, session_id, username,"
        + " status_type, input_octets, output_octets, session_time, terminate_cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
        + " ?)");
      p.setLong(1, u.received().toEpochMilli());
      p.setString(2, u.nas());
      p.setString(3, u.sessionId());
      p.setString(4, u.username());
      p.setString(5, u.status().dictionaryName());
      p.setLong(6, u.inputOctets());
      p.setLong(7, u.outputOctets());
      p.setLong(8, u.sessionTime());
      p.setString(9, u.terminateCause());
      p.executeUpdate();
    }
  }
}
