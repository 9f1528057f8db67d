package net.tinyisp.subscribers.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/** Store test databases: a SQLite file in a temp dir, or a fresh schema in TINYISP_TEST_PG_URL's PostgreSQL. */
public final class TestDatabases {
  private TestDatabases() {}

  public static String sqlite(Path dir) {
    return Database.defaultUrl(dir);
  }

  /** A PostgreSQL URL whose current schema is new and empty; skips the test when no PostgreSQL is configured. */
  public static String postgresql() throws SQLException {
    String base = System.getenv("TINYISP_TEST_PG_URL");
    Assumptions.assumeTrue(base != null && !base.isBlank(),
        "TINYISP_TEST_PG_URL is unset: no PostgreSQL for this test (CI sets it from .ci/env.d/subscribers.env)");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Drops the schema a {@link #postgresql()} URL points at. */
  public static void dropPostgresql(String url) throws SQLException {
    if (url == null || !url.startsWith("jdbc:postgresql:")) return;
    String schema = url.replaceAll(".*currentSchema=", "");
    String base = url.replaceAll("[&?]currentSchema=.*", "");
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
