package net.tinyisp.subscribers.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations, applied at start in order, each in its own transaction and recorded in
 * {@code schema_version}. Scripts are resources {@code migrations/V<n>.sql}; the list below is the order (a
 * classpath cannot be listed reliably inside a shaded jar). A database newer than this code is refused rather than
 * written with an older idea of the schema.
 */
final class Migrations {
  static final List<String> SCRIPTS = List.of(
      "V1 subscribers, plans, accounting sessions and records, usage periods, CoA log, cap state");

  private Migrations() {}

  static int latest() {
    return SCRIPTS.size();
  }

  static void apply(Connection c, Dialect dialect) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        if (dialect == Dialect.POSTGRESQL) {
          // several nodes may start at once against one database; one migrates, the others wait
          s.execute("SELECT pg_advisory_xact_lock(7342001)");
        }
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT"
            + " NULL, description TEXT NOT NULL)");
      }
      int current = current(c);
      if (current > latest()) {
        throw new SQLException("the store is at schema version " + current + " but this tinyisp knows only up to "
            + latest() + "; upgrade tinyisp");
      }
      c.commit();
      for (int v = current + 1; v <= latest(); v++) {
        try (Statement s = c.createStatement()) {
          if (dialect == Dialect.POSTGRESQL) {
            s.execute("SELECT pg_advisory_xact_lock(7342001)");
          }
          if (current(c) >= v) { // another node got there first
            c.commit();
            continue;
          }
          for (String sql : statements(script(v), dialect)) {
            s.execute(sql);
          }
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO schema_version (version, applied_ms, description) VALUES (?, ?, ?)")) {
          p.setInt(1, v);
          p.setLong(2, System.currentTimeMillis());
          p.setString(3, SCRIPTS.get(v - 1));
          p.executeUpdate();
        }
        c.commit();
      }
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  static int current(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static String script(int version) {
    String name = "migrations/V" + version + ".sql";
    try (InputStream in = Migrations.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("migration " + name + " is missing from the distribution");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + name, e);
    }
  }

  /** Splits on ';' at line ends and drops '--' comment lines; our scripts have no ';' inside literals. */
  static List<String> statements(String script, Dialect dialect) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.startsWith("--") || t.isEmpty()) continue;
      cur.append(line).append('\n');
      if (t.endsWith(";")) {
        String sql = cur.toString().strip();
        out.add(sql.substring(0, sql.length() - 1).replace("{{ID}}", dialect.identityColumn()));
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      throw new IllegalStateException("migration script ends without ';'");
    }
    return out;
  }
}
