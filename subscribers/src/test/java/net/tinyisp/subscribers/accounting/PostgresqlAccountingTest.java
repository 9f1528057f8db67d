package net.tinyisp.subscribers.accounting;

import net.tinyisp.subscribers.store.TestDatabases;

/** The accounting contract on a real PostgreSQL (TINYISP_TEST_PG_URL; skipped when unset). */
class PostgresqlAccountingTest extends AccountingContract {
  @Override
  protected String newUrl() throws Exception {
    return TestDatabases.postgresql();
  }

  @Override
  protected void dropUrl(String url) throws Exception {
    TestDatabases.dropPostgresql(url);
  }
}
