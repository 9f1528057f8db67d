package net.tinyisp.subscribers.caps;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import net.tinyisp.radius.server.ReplyItem;
import net.tinyisp.subscribers.accounting.AccountingLedger;
import net.tinyisp.subscribers.accounting.AcctStatus;
import net.tinyisp.subscribers.accounting.SessionLookup;
import net.tinyisp.subscribers.accounting.UsagePeriod;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.Subscriber;
import net.tinyisp.subscribers.store.StoreException;
import net.tinyisp.subscribers.store.SubscriberDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data caps and plan changes on live sessions (RFC 5176). Fed with every committed accounting update: when the
 * subscriber's usage in the current period reaches its cap, it is marked capped once for the period and each open
 * session gets a CoA-Request with the capped speeds (or a Disconnect-Request). When the period rolls over,
 * {@link #restoreAfterRollOver} gives capped subscribers their plan back. Operator plan changes go out the same
 * way. Every request and answer lands in {@code coa_log}. Requests go out on the executor, never on the thread that
 * is about to send the Accounting-Response.
 */
public final class CapEnforcer implements Consumer<AccountingLedger.Applied> {
  private static final Logger log = LoggerFactory.getLogger(CapEnforcer.class);

  public enum Reason { CAP, PLAN_CHANGE, PERIOD_ROLL_OVER, OPERATOR }

  private final SubscriberDirectory directory;
  private final CapLedger caps;
  private final SessionLookup sessions;
  private final CoaLog coaLog;
  private final CapPolicy policy;
  private final UsagePeriod period;
  private final NasCommands nas;
  private final Clock clock;
  private final Executor executor;
  private final CoaMetrics metrics;

  public CapEnforcer(SubscriberDirectory directory, CapLedger caps, SessionLookup sessions, CoaLog coaLog,
      CapPolicy policy, UsagePeriod period, NasCommands nas, Clock clock, Executor executor,
      MeterRegistry registry) {
    this.directory = directory;
    this.caps = caps;
    this.sessions = sessions;
    this.coaLog = coaLog;
    this.policy = policy;
    this.period = period;
    this.nas = nas;
    this.clock = clock;
    this.executor = executor;
    this.metrics = new CoaMetrics(registry);
  }

  /** Called after each committed accounting update. */
  @Override
  public void accept(AccountingLedger.Applied applied) {
    AcctStatus status = applied.update().status();
    if (status != AcctStatus.START && status != AcctStatus.INTERIM_UPDATE && status != AcctStatus.STOP) return;
    String user = applied.update().username();
    if (applied.periodStart().equals(enforcedPeriods.get(user))) return; // already capped this period
    CapEntry known = caps(user);
    if (known != null && (known.capBytes <= 0 || applied.periodOctets() < known.capBytes)) {
      return; // the common case, decided without a lookup or a thread
    }
    executor.execute(() -> {
      try {
        checkCap(user, applied.periodStart(), applied.periodOctets());
      } catch (SQLException | StoreException | RuntimeException e) {
        log.warn("cap check for {} failed: {}", user, e.toString());
      }
    });
  }

  /** Enforces the cap if this usage passes it and nobody enforced it in this period yet; true if it acted. */
  public boolean checkCap(String user, Instant periodStart, long periodOctets) throws SQLException, StoreException {
    Optional<Subscriber> s = directory.subscriber(user);
    rememberCap(user, s.map(Subscriber::dataCapBytes).orElse(0L));
    if (s.isEmpty() || s.get().dataCapBytes() <= 0 || periodOctets < s.get().dataCapBytes()) return false;
    boolean first = caps.claim(user, periodStart, clock.instant());
    if (enforcedPeriods.size() > 200_000) enforcedPeriods.clear();
    enforcedPeriods.put(user, periodStart);
    if (!first) return false;
    metrics.capped();
    if (policy.action() == CapPolicy.Action.DISCONNECT) {
      disconnect(user, Reason.CAP);
    } else {
      sendSpeeds(user, policy.downKbps(), policy.upKbps(), null, Reason.CAP);
    }
    return true;
  }

  /**
   * Caps seen recently, so that the accounting path does not read the subscriber for every Interim-Update. A cap
   * changed by an operator is seen within {@link #CAP_TTL_NANOS}; the cache is cleared when it grows past its bound.
   */
  private record CapEntry(long capBytes, long fetchedNanos) {}

  private static final long CAP_TTL_NANOS = 30_000_000_000L;
  private final java.util.concurrent.ConcurrentHashMap<String, CapEntry> capCache =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.concurrent.ConcurrentHashMap<String, Instant> enforcedPeriods =
      new java.util.concurrent.ConcurrentHashMap<>();

  private CapEntry caps(String user) {
    CapEntry e = capCache.get(user);
    return e != null && System.nanoTime() - e.fetchedNanos < CAP_TTL_NANOS ? e : null;
  }

  private void rememberCap(String user, long capBytes) {
    if (capCache.size() > 200_000) capCache.clear();
    capCache.put(user, new CapEntry(capBytes, System.nanoTime()));
  }

  /** After an operator moved a subscriber to another plan: tell the NAS the new speeds (a capped one stays capped). */
  public List<NasCommands.Answer> planChanged(String user) throws SQLException, StoreException {
    if (caps.isCapped(user, period.start(clock.instant()))) {
      return List.of();
    }
    Plan plan = planOf(user);
    return sendSpeeds(user, plan.downKbps(), plan.upKbps(), plan, Reason.PLAN_CHANGE);
  }

  /** Operator: CoA with the subscriber's current speeds (capped or plan). */
  public List<NasCommands.Answer> coa(String user) throws SQLException, StoreException {
    if (caps.isCapped(user, period.start(clock.instant())) && policy.action() == CapPolicy.Action.THROTTLE) {
      return sendSpeeds(user, policy.downKbps(), policy.upKbps(), null, Reason.OPERATOR);
    }
    Plan plan = planOf(user);
    return sendSpeeds(user, plan.downKbps(), plan.upKbps(), plan, Reason.OPERATOR);
  }

  /** Gives subscribers capped in an earlier period their plan speeds back; returns how many it restored. */
  public int restoreAfterRollOver() throws SQLException, StoreException {
    Instant now = clock.instant();
    Instant current = period.start(now);
    int n = 0;
    for (String user : caps.toRestore(current)) {
      if (!caps.isCapped(user, current)) {
        Optional<Plan> plan = tryPlanOf(user);
        if (plan.isPresent() && policy.action() == CapPolicy.Action.THROTTLE) {
          sendSpeeds(user, plan.get().downKbps(), plan.get().upKbps(), plan.get(), Reason.PERIOD_ROLL_OVER);
        }
      }
      caps.markRestored(user, current, now);
      n++;
    }
    return n;
  }

  public List<NasCommands.Answer> disconnect(String user, Reason reason) throws SQLException {
    List<NasCommands.Answer> out = new ArrayList<>();
    for (SessionLookup.Session s : sessions.open(user)) {
      NasCommands.NasSession target = new NasCommands.NasSession(s.nas(), user, s.sessionId());
      Instant sent = clock.instant();
      NasCommands.Answer a = nas.disconnect(target);
      metrics.answer("disconnect", a.result());
      coaLog.record(sent, target, "Disconnect-Request", reason.name(), a);
      out.add(a);
    }
    return out;
  }

  /**
   * CoA with the speeds; {@code ceilingsOf} is the plan whose ceilings go along (Mikrotik-Rate-Limit, as in the
   * Access-Accept) when the plan's own speeds are restored, null under a cap: a capped subscriber borrows nothing.
   */
  private List<NasCommands.Answer> sendSpeeds(String user, long downKbps, long upKbps, Plan ceilingsOf, Reason reason)
      throws SQLException {
    String ceilings = ceilingsOf == null ? null
        : net.tinyisp.subscribers.auth.SubscriberAuthBackend.mikrotikCeilings(ceilingsOf);
    List<NasCommands.Answer> out = new ArrayList<>();
    for (SessionLookup.Session s : sessions.open(user)) {
      NasCommands.NasSession target = new NasCommands.NasSession(s.nas(), user, s.sessionId());
      // RFC 5176 §3: User-Name and Acct-Session-Id identify the session; the RP attributes are kbit/s
      List<ReplyItem> attrs = new ArrayList<>(List.of(
          new ReplyItem("User-Name", user),
          new ReplyItem("Acct-Session-Id", s.sessionId()),
          new ReplyItem("RP-Downstream-Speed-Limit", Long.toString(downKbps)),
          new ReplyItem("RP-Upstream-Speed-Limit", Long.toString(upKbps))));
      if (ceilings != null) attrs.add(new ReplyItem("Mikrotik-Rate-Limit", ceilings));
      Instant sent = clock.instant();
      NasCommands.Answer a = nas.coa(target, attrs);
      metrics.answer("coa", a.result());
      coaLog.record(sent, target, "CoA-Request", reason.name(), a);
      out.add(a);
    }
    return out;
  }

  private Plan planOf(String user) throws StoreException {
    return tryPlanOf(user).orElseThrow(() -> new StoreException("subscriber " + user + " or its plan does not"
        + " exist"));
  }

  private Optional<Plan> tryPlanOf(String user) throws StoreException {
    Optional<Subscriber> s = directory.subscriber(user);
    if (s.isEmpty()) return Optional.empty();
    return directory.plan(s.get().plan());
  }
}
