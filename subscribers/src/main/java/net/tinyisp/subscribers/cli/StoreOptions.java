package net.tinyisp.subscribers.cli;

import java.nio.file.Path;
import java.sql.SQLException;
import net.tinyisp.subscribers.store.Database;
import picocli.CommandLine.Option;

/** {@code --store} / {@code --data-dir}, shared by every admin command. */
public final class StoreOptions {
  @Option(names = "--store", paramLabel = "JDBC-URL",
      description = "jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB?user=...; default: jdbc:sqlite:DATA-DIR/"
          + "subscribers.db")
  String store;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "where the embedded SQLite store lives (default: ${DEFAULT-VALUE})")
  Path dataDir;

  public String url() {
    return store != null ? store : Database.defaultUrl(dataDir);
  }

  public Database open() throws SQLException {
    return Database.open(url(), 2);
  }
}
