package net.tinyisp.subscribers.accounting;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.subscribers.store.Database;

/** Reads sessions and usage for the cap enforcer and the admin CLI. */
public final class SessionLookup {
  private final Database db;

  public SessionLookup(Database db) {
    this.db = db;
  }

  /** A session row: the NAS it runs on, its id, last counters and whether it is still open. */
  public record Session(String nas, String sessionId, String username, Instant started, Instant updated,
      Instant stopped, long inputOctets, long outputOctets, String stopCause) {}

  public List<Session> open(String username) throws SQLException {
    return query("WHERE username = ? AND stopped_ms IS NULL ORDER BY started_ms", username, 1000);
  }

  public List<Session> recent(String username, int limit) throws SQLException {
    return query("WHERE username = ? ORDER BY started_ms DESC", username, limit);
  }

  private List<Session> query(String where, String username, int limit) throws SQLException {
    List<Session> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement("SELECT nas, session_id, username,"
        + " started_ms, updated_ms, stopped_ms, input_octets, output_octets, stop_cause FROM acct_sessions " + where
        + " LIMIT ?")) {
      p.setString(1, username);
      p.setInt(2, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          long stopped = r.getLong(6);
          Instant stop = r.wasNull() ? null : Instant.ofEpochMilli(stopped);
          out.add(new Session(r.getString(1), r.getString(2), r.getString(3), Instant.ofEpochMilli(r.getLong(4)),
              Instant.ofEpochMilli(r.getLong(5)), stop, r.getLong(7), r.getLong(8), r.getString(9)));
        }
      }
    }
    return out;
  }

  /** In + out octets of a subscriber in the period starting at {@code periodStart}. */
  public long usage(String username, Instant periodStart) throws SQLException {
    try (Connection c = db.connection()) {
      return AccountingLedger.usage(c, username, periodStart);
    }
  }

  /** One usage period of a subscriber. */
  public record PeriodUsage(Instant periodStart, long inputOctets, long outputOctets) {}

  /** The subscriber's most recent usage periods, newest first. */
  public List<PeriodUsage> periods(String username, int limit) throws SQLException {
    List<PeriodUsage> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement("SELECT period_start_ms,"
        + " input_octets, output_octets FROM usage_periods WHERE username = ? ORDER BY period_start_ms DESC LIMIT ?")) {
      p.setString(1, username);
      p.setInt(2, limit);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) out.add(new PeriodUsage(Instant.ofEpochMilli(r.getLong(1)), r.getLong(2), r.getLong(3)));
      }
    }
    return out;
  }
}
