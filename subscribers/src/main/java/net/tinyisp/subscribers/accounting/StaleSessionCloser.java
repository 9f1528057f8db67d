package net.tinyisp.subscribers.accounting;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import net.tinyisp.subscribers.store.Database;

/**
 * Closes sessions the NAS stopped reporting: no record for 2 x the session's interim interval plus slack (the NAS
 * may have died without a Stop, RFC 2866 gives no other signal). The session is marked stopped at its last record
 * with cause {@code Stale}; if an Interim-Update still arrives later, the ledger reopens it.
 */
public final class StaleSessionCloser {
  private final Database db;
  private final int slackSeconds;

  public StaleSessionCloser(Database db, int slackSeconds) {
    this.db = db;
    this.slackSeconds = slackSeconds;
  }

  /** Closes what is stale at {@code now}; returns how many sessions it closed. */
  public int closeStale(Instant now) throws SQLException {
    return db.inTransaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE acct_sessions SET stopped_ms = updated_ms,"
          + " stop_cause = 'Stale' WHERE stopped_ms IS NULL AND updated_ms + (2 * interim_interval + ?) * 1000 < ?")) {
        p.setLong(1, slackSeconds);
        p.setLong(2, now.toEpochMilli());
        return p.executeUpdate();
      }
    });
  }
}
