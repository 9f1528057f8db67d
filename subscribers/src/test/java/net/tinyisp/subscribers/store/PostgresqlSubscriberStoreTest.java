package net.tinyisp.subscribers.store;

/** The same contract against a real PostgreSQL (TINYISP_TEST_PG_URL; skipped when unset). */
class PostgresqlSubscriberStoreTest extends SubscriberStoreContract {
  @Override
  protected String newUrl() throws Exception {
    return TestDatabases.postgresql();
  }

  @Override
  protected void dropUrl(String url) throws Exception {
    TestDatabases.dropPostgresql(url);
  }
}
