package net.tinyisp.subscribers.store;

/**
 * The few places SQLite and PostgreSQL differ for our schema. Everything else (upsert with {@code ON CONFLICT},
 * {@code BIGINT}, {@code BOOLEAN}) is the same SQL on both.
 */
public enum Dialect {
  SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT", ""),
  POSTGRESQL("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", " FOR UPDATE");

  private final String identityColumn;
  private final String lockRow;

  Dialect(String identityColumn, String lockRow) {
    this.identityColumn = identityColumn;
    this.lockRow = lockRow;
  }

  /** Column definition of a surrogate key; {@code {{ID}}} in migration scripts. */
  public String identityColumn() {
    return identityColumn;
  }

  /**
   * Suffix of a SELECT that reads a row it will update in the same transaction. PostgreSQL needs the row lock when
   * several nodes write; SQLite has one writer per database, so no suffix.
   */
  public String lockRow() {
    return lockRow;
  }

  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) return SQLITE;
    if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
    throw new IllegalArgumentException("store '" + jdbcUrl + "': expected jdbc:sqlite:PATH or jdbc:postgresql://...");
  }
}
