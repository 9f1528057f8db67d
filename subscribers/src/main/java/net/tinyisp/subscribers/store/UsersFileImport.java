package net.tinyisp.subscribers.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.radius.server.ReplyItem;
import net.tinyisp.radius.server.UsersFile;
import net.tinyisp.subscribers.model.PasswordHash;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.PlanReplyItem;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;

/**
 * Moves a FreeRADIUS {@code users} file into the store in one step. Each entry becomes a subscriber; its reply
 * items become a plan (speed limits, interim interval, session timeout, anything else as extra items) shared by
 * every entry with the same items, named {@code import-DOWN-UP[-iINTERIM][-tTIMEOUT][-HASH of extra items]}. Static
 * IPv6 prefixes stay on the subscriber. {@code Cleartext-Password} is hashed unless the operator keeps cleartext
 * for CHAP. Entries the store cannot represent are skipped and reported with their line.
 */
public final class UsersFileImport {
  private final SubscriberStore store;
  private final boolean keepCleartext;
  private final int iterations;

  public UsersFileImport(SubscriberStore store, boolean keepCleartext, int iterations) {
    this.store = store;
    this.keepCleartext = keepCleartext;
    this.iterations = iterations;
  }

  public record Result(int subscribers, List<String> plans, List<String> skipped) {}

  public Result run(UsersFile file) throws StoreException {
    Map<String, Plan> plans = new LinkedHashMap<>();
    List<Subscriber> subscribers = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (UsersFile.Entry e : file.entries()) {
      String at = (file.source() == null ? "users" : file.source().toString()) + ":" + e.line() + ": ";
      if (e.username().equals("DEFAULT")) {
        skipped.add(at + "DEFAULT entries have no subscriber equivalent; put their items into a plan");
        continue;
      }
      if (!seen.add(e.username())) {
        skipped.add(at + e.username() + " appears again; FreeRADIUS uses the first entry, so does the import");
        continue;
      }
      String pw = e.cleartextPassword();
      if (pw == null && !e.rejected()) {
        skipped.add(at + e.username() + " has no Cleartext-Password (hashed check items are not imported)");
        continue;
      }
      try {
        Mapped m = map(e.replyItems());
        plans.putIfAbsent(m.plan.name(), m.plan);
        StoredPassword password;
        boolean chap = keepCleartext && pw != null;
        if (pw == null) { // Auth-Type := Reject without a password: disabled, and no password can match
          byte[] r = new byte[24];
          new SecureRandom().nextBytes(r);
          password = new StoredPassword.Hashed(PasswordHash.pbkdf2(HexFormat.of().formatHex(r), iterations));
        } else if (chap) {
          password = new StoredPassword.Cleartext(pw);
        } else {
          password = new StoredPassword.Hashed(PasswordHash.pbkdf2(pw, iterations));
        }
        subscribers.add(new Subscriber(e.username(), password, chap, m.plan.name(), m.framed, m.delegated,
            !e.rejected(), 0));
      } catch (IllegalArgumentException ex) {
        skipped.add(at + e.username() + ": " + ex.getMessage());
      }
    }
    for (Plan p : plans.values()) store.putPlan(p);
    for (Subscriber s : subscribers) store.putSubscriber(s);
    return new Result(subscribers.size(), List.copyOf(plans.keySet()), skipped);
  }

  private record Mapped(Plan plan, IpPrefix framed, IpPrefix delegated) {}

  private static Mapped map(List<ReplyItem> items) {
    long down = 0, up = 0;
    int interim = 0, timeout = 0;
    IpPrefix framed = null, delegated = null;
    List<PlanReplyItem> extra = new ArrayList<>();
    for (ReplyItem i : items) {
      switch (i.attribute()) {
        case "RP-Downstream-Speed-Limit" -> down = Long.parseLong(i.value());
        case "RP-Upstream-Speed-Limit" -> up = Long.parseLong(i.value());
        case "Acct-Interim-Interval" -> interim = Integer.parseInt(i.value());
        case "Session-Timeout" -> timeout = Integer.parseInt(i.value());
        case "Framed-IPv6-Prefix" -> framed = IpPrefix.parse(i.value());
        case "Delegated-IPv6-Prefix" -> delegated = IpPrefix.parse(i.value());
        default -> extra.add(new PlanReplyItem(i.attribute(), i.value()));
      }
    }
    String name = "import-" + down + "-" + up;
    if (interim != 0) name += "-i" + interim;
    if (timeout != 0) name += "-t" + timeout;
    if (!extra.isEmpty()) name += "-" + shortHash(extra.toString());
    return new Mapped(new Plan(name, down, up, 0, 0, interim, timeout, extra), framed, delegated);
  }

  private static String shortHash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
