package net.tinyisp.subscribers;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.AccountingSink;
import net.tinyisp.radius.server.AuthBackend;
import net.tinyisp.subscribers.accounting.JdbcAccountingSink;
import net.tinyisp.subscribers.accounting.SessionLookup;
import net.tinyisp.subscribers.accounting.StaleSessionCloser;
import net.tinyisp.subscribers.auth.SubscriberAuthBackend;
import net.tinyisp.subscribers.caps.CapEnforcer;
import net.tinyisp.subscribers.caps.CapLedger;
import net.tinyisp.subscribers.caps.CoaLog;
import net.tinyisp.subscribers.caps.RadiusNasCommands;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import net.tinyisp.subscribers.store.LdapSubscriberDirectory;
import net.tinyisp.subscribers.store.SubscriberDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriber store as a running component: opens (and migrates) the database, connects LDAP if configured,
 * and offers the RADIUS server its {@link #authBackend()} and {@link #accountingSink()}. A housekeeping thread closes
 * stale sessions and gives capped subscribers their plan back when the usage period rolls over.
 *
 * <p>Wiring: {@code new SubscribersService(config, dictionary, nasSecrets, metrics)}, {@code start()}, then pass
 * {@code authBackend()} and {@code accountingSink()} to {@code RadiusServer}; {@code nasSecrets} maps a NAS address
 * to its shared secret (the radius server's client table) for CoA/Disconnect.
 */
public final class SubscribersService implements Service {
  private static final Logger log = LoggerFactory.getLogger(SubscribersService.class);

  private final SubscribersConfig config;
  private final Dictionary dictionary;
  private final Function<String, Optional<String>> nasSecrets;
  private final Metrics metrics;
  private final Clock clock;
  private Database db;
  private LdapSubscriberDirectory ldap;
  private JdbcSubscriberStore store;
  private SubscriberAuthBackend auth;
  private JdbcAccountingSink sink;
  private CapEnforcer enforcer;
  private RadiusNasCommands nas;
  private ExecutorService coaWorkers;
  private Thread housekeeper;
  private volatile boolean closed;
  private volatile String lastHousekeepingError;

  public SubscribersService(SubscribersConfig config, Dictionary dictionary,
      Function<String, Optional<String>> nasSecrets, Metrics metrics) {
    this(config, dictionary, nasSecrets, metrics, Clock.systemUTC());
  }

  public SubscribersService(SubscribersConfig config, Dictionary dictionary,
      Function<String, Optional<String>> nasSecrets, Metrics metrics, Clock clock) {
    this.config = config;
    this.dictionary = dictionary;
    this.nasSecrets = nasSecrets;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "subscribers";
  }

  @Override
  public void start() throws Exception {
    db = Database.open(config.store(), config.poolSize());
    store = new JdbcSubscriberStore(db);
    SubscriberDirectory directory = store;
    if (config.ldap() != null) {
      ldap = new LdapSubscriberDirectory(config.ldap(), store);
      directory = ldap;
    }
    var registry = metrics.registry();
    CapLedger caps = new CapLedger(db);
    nas = new RadiusNasCommands(nasSecrets, config.coaPort(), Duration.ofMillis(config.coaTimeoutMillis()), 3,
        dictionary);
    coaWorkers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("subscribers-coa-", 0).factory());
    var period = config.accounting().usagePeriod();
    enforcer = new CapEnforcer(directory, caps, new SessionLookup(db), new CoaLog(db), config.caps(), period, nas,
        clock, coaWorkers, registry);
    sink = new JdbcAccountingSink(db, directory, config.accounting(), registry, enforcer);
    auth = new SubscriberAuthBackend(directory, caps, config.caps(), period, clock);
    StaleSessionCloser stale = new StaleSessionCloser(db, config.accounting().staleSlack());
    long every = config.accounting().staleCheckSeconds() * 1000L;
    housekeeper = Thread.ofPlatform().daemon().name("subscribers-housekeeping").start(() -> {
      while (!closed) {
        try {
          Thread.sleep(every);
          int n = stale.closeStale(clock.instant());
          if (n > 0) {
            sink.countStaleClosed(n);
            log.info("closed {} stale accounting sessions", n);
          }
          enforcer.restoreAfterRollOver();
          lastHousekeepingError = null;
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          lastHousekeepingError = e.toString();
          log.warn("subscriber housekeeping failed: {}", e.toString());
        }
      }
    });
    log.info("subscriber store {} (schema {}), {}", db.describe(), db.schemaVersion(),
        ldap == null ? "subscribers in the store" : "subscribers from LDAP " + config.ldap().url());
  }

  public AuthBackend authBackend() {
    return auth;
  }

  public AccountingSink accountingSink() {
    return sink;
  }

  /** For operator actions (plan change with CoA) from the admin API. */
  public CapEnforcer capEnforcer() {
    return enforcer;
  }

  public JdbcSubscriberStore store() {
    return store;
  }

  @Override
  public Health health() {
    if (db == null) return Health.down("not started");
    try {
      db.schemaVersion();
    } catch (java.sql.SQLException e) {
      return Health.down("store unreachable: " + e.getMessage());
    }
    return lastHousekeepingError == null ? Health.ok() : Health.down("housekeeping: " + lastHousekeepingError);
  }

  @Override
  public void close() {
    closed = true;
    if (housekeeper != null) housekeeper.interrupt();
    if (sink != null) sink.close();
    if (coaWorkers != null) coaWorkers.close();
    if (nas != null) nas.close();
    if (ldap != null) ldap.close();
    if (db != null) db.close();
  }
}
