package net.tinyisp.subscribers.accounting;

import java.nio.file.Path;
import net.tinyisp.subscribers.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;

class SqliteAccountingTest extends AccountingContract {
  @TempDir Path dir;

  @Override
  protected String newUrl() {
    return TestDatabases.sqlite(dir);
  }
}
