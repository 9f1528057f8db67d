package net.tinyisp.subscribers.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSubscriberStoreTest extends SubscriberStoreContract {
  @TempDir Path dir;

  @Override
  protected String newUrl() {
    return TestDatabases.sqlite(dir.resolve("data"));
  }

  @Test
  void theDatabaseIsAFileUnderTheDataDirectoryInWalMode() throws Exception {
    assertThat(Files.exists(dir.resolve("data/subscribers.db"))).isTrue();
    try (var c = db.connection(); var s = c.createStatement(); var r = s.executeQuery("PRAGMA journal_mode")) {
      r.next();
      assertThat(r.getString(1)).isEqualToIgnoringCase("wal");
    }
  }
}
