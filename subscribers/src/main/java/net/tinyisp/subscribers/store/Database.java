package net.tinyisp.subscribers.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The JDBC database behind the store: a HikariCP pool, the dialect, and the schema migrated to the latest version at
 * open. SQLite (one file, embedded) runs in WAL mode with {@code synchronous=FULL}, so a commit is on disk when it
 * returns, and with immediate transactions so a read-then-write transaction waits for the lock instead of failing.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String url;

  private Database(HikariDataSource pool, Dialect dialect, String url) {
    this.pool = pool;
    this.dialect = dialect;
    this.url = url;
  }

  /** The default store: {@code jdbc:sqlite:DATA_DIR/subscribers.db}. */
  public static String defaultUrl(Path dataDir) {
    return "jdbc:sqlite:" + dataDir.resolve("subscribers.db");
  }

  public static Database open(String jdbcUrl, int poolSize) throws SQLException {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(jdbcUrl);
    cfg.setMaximumPoolSize(Math.max(2, poolSize));
    cfg.setMinimumIdle(1);
    cfg.setPoolName("tinyisp-subscribers");
    cfg.setConnectionTimeout(10_000);
    cfg.setInitializationFailTimeout(10_000);
    if (dialect == Dialect.SQLITE) {
      Path file = Path.of(jdbcUrl.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", ""));
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
      } catch (java.io.IOException e) {
        throw new SQLException("cannot create the data directory for " + file + ": " + e.getMessage(), e);
      }
      cfg.addDataSourceProperty("journal_mode", "WAL");
      cfg.addDataSourceProperty("synchronous", "FULL");
      cfg.addDataSourceProperty("busy_timeout", "10000");
      cfg.addDataSourceProperty("foreign_keys", "true");
      cfg.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(cfg);
    } catch (RuntimeException e) {
      throw new SQLException("cannot open the store " + redact(jdbcUrl) + ": " + rootMessage(e), e);
    }
    Database db = new Database(pool, dialect, jdbcUrl);
    try (Connection c = db.connection()) {
      Migrations.apply(c, dialect);
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  public Dialect dialect() {
    return dialect;
  }

  public int schemaVersion() throws SQLException {
    try (Connection c = connection()) {
      return Migrations.current(c);
    }
  }

  /** The URL without a password, for logs and errors. */
  public String describe() {
    return redact(url);
  }

  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) e = e.getCause();
    return e.getMessage();
  }

  @Override
  public void close() {
    pool.close();
  }

  /** Runs work in one transaction on a pooled connection; commits, or rolls back on any exception. */
  public <T> T inTransaction(SqlWork<T> work) throws SQLException {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }
}
