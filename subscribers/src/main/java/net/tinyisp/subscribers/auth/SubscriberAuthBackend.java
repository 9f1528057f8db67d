package net.tinyisp.subscribers.auth;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import net.tinyisp.radius.server.AuthAccount;
import net.tinyisp.radius.server.AuthBackend;
import net.tinyisp.radius.server.ReplyItem;
import net.tinyisp.subscribers.accounting.UsagePeriod;
import net.tinyisp.subscribers.caps.CapLedger;
import net.tinyisp.subscribers.caps.CapPolicy;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.PlanReplyItem;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;
import net.tinyisp.subscribers.store.StoreException;
import net.tinyisp.subscribers.store.SubscriberDirectory;

/**
 * The RADIUS server's view of the subscriber store: the account, its password check, and the Access-Accept
 * attributes from its plan. A subscriber who reached its data cap this period gets the capped speeds (or, with
 * {@code action: disconnect}, is reported disabled) so that logging in again does not undo the cap.
 */
public final class SubscriberAuthBackend implements AuthBackend {
  private final SubscriberDirectory directory;
  private final CapLedger caps;
  private final CapPolicy policy;
  private final UsagePeriod period;
  private final Clock clock;
  private final VerifiedPasswords verified = new VerifiedPasswords(200_000);

  /** {@code caps} may be null when no accounting store is configured (then caps are not consulted). */
  public SubscriberAuthBackend(SubscriberDirectory directory, CapLedger caps, CapPolicy policy, UsagePeriod period,
      Clock clock) {
    this.directory = directory;
    this.caps = caps;
    this.policy = policy;
    this.period = period;
    this.clock = clock;
  }

  @Override
  public Optional<AuthAccount> find(String username) {
    try {
      Optional<Subscriber> found = directory.subscriber(username);
      if (found.isEmpty()) return Optional.empty();
      Subscriber s = found.get();
      Optional<Plan> plan = plan(s.plan());
      if (plan.isEmpty()) {
        // fail closed: an account whose plan vanished (LDAP points at a missing plan) gets no service
        return Optional.of(new AuthAccount(username, false, null, pw -> false, List.of()));
      }
      boolean capped = caps != null && s.dataCapBytes() > 0
          && caps.isCapped(username, period.start(clock.instant()));
      boolean enabled = s.enabled() && !(capped && policy.action() == CapPolicy.Action.DISCONNECT);
      String cleartext = s.password() instanceof StoredPassword.Cleartext c ? c.value() : null;
      return Optional.of(new AuthAccount(username, enabled, cleartext, verifier(s), replyItems(s, plan.get(),
          capped)));
    } catch (StoreException | SQLException e) {
      // no answer is better than a wrong one: the server drops the request and the NAS retries or fails over
      throw new IllegalStateException("subscriber store unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Plans change rarely and every Access-Request needs one: they are kept for {@link #PLAN_TTL_NANOS}, so an edited
   * plan reaches new logins within seconds (a CoA reaches live sessions at once).
   */
  private static final long PLAN_TTL_NANOS = 10_000_000_000L;

  private record CachedPlan(Optional<Plan> plan, long fetchedNanos) {}

  private final java.util.concurrent.ConcurrentHashMap<String, CachedPlan> plans =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Optional<Plan> plan(String name) throws StoreException {
    CachedPlan c = plans.get(name);
    long now = System.nanoTime();
    if (c != null && now - c.fetchedNanos < PLAN_TTL_NANOS) return c.plan;
    Optional<Plan> p = directory.plan(name);
    if (plans.size() > 10_000) plans.clear();
    plans.put(name, new CachedPlan(p, now));
    return p;
  }

  private Predicate<String> verifier(Subscriber s) {
    StoredPassword stored = s.password();
    if (stored instanceof StoredPassword.Cleartext) return stored::matches;
    String encoded = stored.encoded();
    return candidate -> {
      if (verified.knownGood(s.username(), encoded, candidate)) return true;
      boolean ok = stored.matches(candidate);
      if (ok) verified.remember(s.username(), encoded, candidate);
      return ok;
    };
  }

  /**
   * The plan's ceilings for the hierarchical shaper, the way a MikroTik BNG takes them (its queue's max-limit and
   * limit-at, HTB's ceil and rate): {@code rx-max/tx-max 0/0 0/0 0/0 8 rx-min/tx-min} in kbit/s, where rx is the
   * subscriber's upload and tx its download ("from the point of view of the router", MikroTik's RADIUS client
   * manual), the max the ceilings and the min the plan's rates; bursts off (0), priority 8 (MikroTik's default).
   * tinyisp's AC takes the rate from RP-*-Speed-Limit and only the ceiling from here (see the shaping README). Sent
   * only when a ceiling is above its rate, never to a capped subscriber (no borrowing past a cap), and not when the
   * plan already carries its own Mikrotik-Rate-Limit reply item. 0 means no limit in that direction.
   */
  public static String mikrotikCeilings(Plan plan) {
    if (plan.downCeilKbps() <= plan.downKbps() && plan.upCeilKbps() <= plan.upKbps()) return null;
    for (PlanReplyItem item : plan.replyItems()) {
      if (item.attribute().equalsIgnoreCase("Mikrotik-Rate-Limit")) return null;
    }
    return kbps(plan.upCeilKbps()) + "/" + kbps(plan.downCeilKbps()) + " 0/0 0/0 0/0 8 " + kbps(plan.upKbps()) + "/"
        + kbps(plan.downKbps());
  }

  private static String kbps(long kbps) {
    return kbps == 0 ? "0" : kbps + "k";
  }

  /** The Access-Accept attributes, in dictionary units (RP speeds kbit/s, intervals seconds). */
  List<ReplyItem> replyItems(Subscriber s, Plan plan, boolean capped) {
    List<ReplyItem> out = new ArrayList<>();
    long down = capped ? Math.min(policy.downKbps(), plan.downKbps()) : plan.downKbps();
    long up = capped ? Math.min(policy.upKbps(), plan.upKbps()) : plan.upKbps();
    if (plan.interimInterval() > 0) {
      out.add(new ReplyItem("Acct-Interim-Interval", Integer.toString(plan.interimInterval())));
    }
    if (up > 0) out.add(new ReplyItem("RP-Upstream-Speed-Limit", Long.toString(up)));
    if (down > 0) out.add(new ReplyItem("RP-Downstream-Speed-Limit", Long.toString(down)));
    String ceilings = capped ? null : mikrotikCeilings(plan);
    if (ceilings != null) out.add(new ReplyItem("Mikrotik-Rate-Limit", ceilings));
    if (plan.sessionTimeout() > 0) {
      out.add(new ReplyItem("Session-Timeout", Integer.toString(plan.sessionTimeout())));
    }
    if (s.framedIpv6Prefix() != null) {
      out.add(new ReplyItem("Framed-IPv6-Prefix", s.framedIpv6Prefix().toString()));
    }
    if (s.delegatedIpv6Prefix() != null) {
      out.add(new ReplyItem("Delegated-IPv6-Prefix", s.delegatedIpv6Prefix().toString()));
    }
    for (PlanReplyItem item : plan.replyItems()) {
      out.add(new ReplyItem(item.attribute(), item.value()));
    }
    return out;
  }
}
