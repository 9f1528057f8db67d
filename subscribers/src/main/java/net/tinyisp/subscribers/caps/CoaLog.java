package net.tinyisp.subscribers.caps;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import net.tinyisp.subscribers.store.Database;

/** Records every CoA/Disconnect-Request sent and the NAS's answer in {@code coa_log}. */
public final class CoaLog {
  private final Database db;

  public CoaLog(Database db) {
    this.db = db;
  }

  public void record(Instant sent, NasCommands.NasSession s, String kind, String reason, NasCommands.Answer a)
      throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO coa_log (sent_ms, username, nas, session_id, kind,"
          + " reason, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setLong(1, sent.toEpochMilli());
        p.setString(2, s.username());
        p.setString(3, s.nas());
        p.setString(4, s.sessionId());
        p.setString(5, kind);
        p.setString(6, reason);
        p.setString(7, a.result().name());
        p.setString(8, a.detail());
        return p.executeUpdate();
      }
    });
  }
}
