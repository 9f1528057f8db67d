package net.tinyisp.subscribers.accounting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.tinyisp.radius.server.AccountingRecord;
import net.tinyisp.radius.server.AccountingSink;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.Dialect;
import net.tinyisp.subscribers.store.StoreException;
import net.tinyisp.subscribers.store.SubscriberDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RADIUS server's accounting sink on the JDBC store. {@link #record} returns only after the record's
 * transaction committed (RFC 2866 §2: no Accounting-Response before the record is safe); concurrent callers share
 * commits through a {@link GroupCommitter}. After the commit, listeners (the cap enforcer) see what changed.
 */
public final class JdbcAccountingSink implements AccountingSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcAccountingSink.class);
  private static final Executor VIRTUAL = Executors.newVirtualThreadPerTaskExecutor();

  private final SubscriberDirectory directory;
  private final AccountingConfig config;
  private final List<GroupCommitter<AcctUpdate, AccountingLedger.Applied>> committers = new ArrayList<>();
  private final Map<AccountingOutcome, Counter> counters = new EnumMap<>(AccountingOutcome.class);
  private final Consumer<AccountingLedger.Applied> listener;

  public JdbcAccountingSink(Database db, SubscriberDirectory directory, AccountingConfig config,
      MeterRegistry registry, Consumer<AccountingLedger.Applied> listener) {
    this.directory = directory;
    this.config = config;
    this.listener = listener;
    AccountingLedger ledger = new AccountingLedger(db.dialect(), config.usagePeriod(),
        config.defaultInterimInterval());
    for (AccountingOutcome o : AccountingOutcome.values()) {
      counters.put(o, Counter.builder(o.metric()).description(o.description()).register(registry));
    }
    DistributionSummary batches = DistributionSummary.builder("tinyisp_subscribers_acct_commit_batch")
        .description("accounting records per committed transaction (group commit)").register(registry);
    // SQLite has one writer per database; PostgreSQL commits in parallel. Records are sharded by username, so a
    // subscriber's sessions and usage rows are only ever written by one writer, in arrival order.
    int writers = db.dialect() == Dialect.SQLITE ? 1 : config.writers();
    for (int i = 0; i < writers; i++) {
      committers.add(new GroupCommitter<>(db, ledger::apply, config.maxBatch(), 65_536, "tinyisp-acct-commit-" + i,
          batches::record));
    }
  }

  @Override
  public void record(AccountingRecord r) throws Exception {
    AcctUpdate.Parsed parsed = AcctUpdate.from(r);
    if (parsed.dropped() != null) {
      // acknowledged (the NAS would retransmit it forever) but not recorded; named and counted
      counters.get(parsed.dropped()).increment();
      return;
    }
    AcctUpdate u = parsed.update();
    if (u.status() == AcctStatus.START) {
      u = u.withInterimInterval(planInterval(u.username()));
    }
    committed(committerFor(u).submit(u, config.commitTimeoutMillis()));
  }

  /**
   * The group-commit path without a thread per request: the future completes once the record's batch committed.
   * A Start still looks up the plan's interim interval first (one indexed read), on a virtual thread.
   */
  @Override
  public CompletableFuture<Void> recordAsync(AccountingRecord r) {
    AcctUpdate.Parsed parsed = AcctUpdate.from(r);
    if (parsed.dropped() != null) {
      counters.get(parsed.dropped()).increment();
      return CompletableFuture.completedFuture(null);
    }
    AcctUpdate u = parsed.update();
    CompletableFuture<AccountingLedger.Applied> committed = u.status() == AcctStatus.START
        ? CompletableFuture.supplyAsync(() -> u.withInterimInterval(planInterval(u.username())), VIRTUAL)
            .thenCompose(x -> committerFor(x).submitAsync(x))
        : committerFor(u).submitAsync(u);
    return committed.orTimeout(config.commitTimeoutMillis(), TimeUnit.MILLISECONDS).thenAccept(this::committed);
  }

  private GroupCommitter<AcctUpdate, AccountingLedger.Applied> committerFor(AcctUpdate u) {
    // Accounting-On/Off have no user: any writer (the NAS's sessions are closed by one statement)
    return committers.get(Math.floorMod(u.username().hashCode(), committers.size()));
  }

  private void committed(AccountingLedger.Applied applied) {
    counters.get(AccountingOutcome.RECORDED).increment();
    for (AccountingOutcome note : applied.notes()) {
      counters.get(note).increment(note == AccountingOutcome.NAS_SESSIONS_CLOSED ? applied.sessionsClosed() : 1);
    }
    try {
      listener.accept(applied);
    } catch (RuntimeException e) {
      log.warn("accounting listener failed for {}: {}", applied.update().username(), e.toString());
    }
  }

  /** The subscriber's plan's interim interval, so the stale check knows how often this session reports. */
  private int planInterval(String username) {
    try {
      Optional<Plan> plan = directory.subscriber(username).flatMap(s -> {
        try {
          return directory.plan(s.plan());
        } catch (StoreException e) {
          return Optional.empty();
        }
      });
      return plan.map(Plan::interimInterval).filter(i -> i > 0).orElse(0);
    } catch (StoreException e) {
      return 0; // the default interval then applies
    }
  }

  public void countStaleClosed(int n) {
    counters.get(AccountingOutcome.STALE_SESSIONS_CLOSED).increment(n);
  }

  @Override
  public void close() {
    committers.forEach(GroupCommitter::close);
  }
}
