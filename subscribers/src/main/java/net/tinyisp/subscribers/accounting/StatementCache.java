package net.tinyisp.subscribers.accounting;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepared statements reused for every record of one group-commit batch: preparing is a parse per statement in
 * SQLite, and a batch runs the same five statements hundreds of times. Lives as long as the batch's transaction.
 */
public final class StatementCache implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  public StatementCache(Connection connection) {
    this.connection = connection;
  }

  public Connection connection() {
    return connection;
  }

  /** The statement for this SQL, prepared on first use; parameters are the caller's to set, all of them. */
  public PreparedStatement get(String sql) throws SQLException {
    PreparedStatement p = statements.get(sql);
    if (p == null) {
      p = connection.prepareStatement(sql);
      statements.put(sql, p);
    }
    return p;
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement p : statements.values()) {
      try {
        p.close();
      } catch (SQLException e) {
        if (first == null) first = e;
      }
    }
    statements.clear();
    if (first != null) throw first;
  }
}
