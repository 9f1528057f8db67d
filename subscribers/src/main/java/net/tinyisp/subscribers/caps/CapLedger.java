package net.tinyisp.subscribers.caps;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.subscribers.store.Database;

/**
 * The {@code cap_state} table: which subscriber was capped in which period, claimed once so that two nodes (or two
 * records in a row) do not both enforce, and when the next period gave the plan back.
 */
public final class CapLedger {
  private final Database db;

  public CapLedger(Database db) {
    this.db = db;
  }

  /** Marks the subscriber capped for the period; true only for the caller that marked it first. */
  public boolean claim(String username, Instant periodStart, Instant now) throws SQLException {
    return db.inTransaction(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO cap_state (username, period_start_ms,"
          + " enforced_ms) VALUES (?, ?, ?) ON CONFLICT (username, period_start_ms) DO NOTHING")) {
        p.setString(1, username);
        p.setLong(2, periodStart.toEpochMilli());
        p.setLong(3, now.toEpochMilli());
        return p.executeUpdate() == 1;
      }
    });
  }

  public boolean isCapped(String username, Instant periodStart) throws SQLException {
    try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement(
        "SELECT 1 FROM cap_state WHERE username = ? AND period_start_ms = ?")) {
      p.setString(1, username);
      p.setLong(2, periodStart.toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  /** Subscribers capped in a period before {@code periodStart} whose plan was not given back yet. */
  public List<String> toRestore(Instant periodStart) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement("SELECT DISTINCT username FROM"
        + " cap_state WHERE period_start_ms < ? AND restored_ms IS NULL ORDER BY username")) {
      p.setLong(1, periodStart.toEpochMilli());
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) out.add(r.getString(1));
      }
    }
    return out;
  }

  public void markRestored(String username, Instant periodStart, Instant now) throws SQLException {
    db.inTransaction(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE cap_state SET restored_ms = ? WHERE username = ? AND"
          + " period_start_ms < ? AND restored_ms IS NULL")) {
        p.setLong(1, now.toEpochMilli());
        p.setString(2, username);
        p.setLong(3, periodStart.toEpochMilli());
        return p.executeUpdate();
      }
    });
  }
}
