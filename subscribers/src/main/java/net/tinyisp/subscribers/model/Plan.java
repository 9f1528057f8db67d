package net.tinyisp.subscribers.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A service plan: what Access-Accept tells the NAS, and what the shaper uses later.
 *
 * @param downKbps downstream rate in kbit/s (to the subscriber), sent as {@code RP-Downstream-Speed-Limit}
 * @param upKbps upstream rate in kbit/s (from the subscriber), sent as {@code RP-Upstream-Speed-Limit}
 * @param downCeilKbps downstream ceiling for the hierarchical shaper's borrowing, sent as the max-limit of a
 *     {@code Mikrotik-Rate-Limit} (with the rates as its rate-min) when a ceiling is above its rate; defaults to
 *     {@code downKbps}
 * @param upCeilKbps upstream ceiling, as above
 * @param interimInterval seconds between Interim-Updates ({@code Acct-Interim-Interval}, RFC 2869 §5.16); 0 = not sent
 * @param sessionTimeout seconds ({@code Session-Timeout}, RFC 2865 §5.27); 0 = not sent
 * @param replyItems further reply attributes by dictionary name, in order
 */
public record Plan(String name, long downKbps, long upKbps, long downCeilKbps, long upCeilKbps, int interimInterval,
    int sessionTimeout, List<PlanReplyItem> replyItems) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public Plan {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("plan name '" + name + "' must be 1-64 of A-Z a-z 0-9 . _ - (no leading"
          + " punctuation)");
    }
    if (downKbps < 0 || upKbps < 0 || downCeilKbps < 0 || upCeilKbps < 0) {
      throw new IllegalArgumentException("plan " + name + ": speeds are kbit/s and cannot be negative");
    }
    // RP-*-Speed-Limit are 32-bit integers (dictionary.roaringpenguin)
    if (downKbps > 0xffffffffL || upKbps > 0xffffffffL) {
      throw new IllegalArgumentException("plan " + name + ": speeds above 4294967295 kbit/s do not fit the attribute");
    }
    if (downCeilKbps == 0) downCeilKbps = downKbps;
    if (upCeilKbps == 0) upCeilKbps = upKbps;
    if (downCeilKbps < downKbps || upCeilKbps < upKbps) {
      throw new IllegalArgumentException("plan " + name + ": a ceiling cannot be below its rate");
    }
    if (interimInterval < 0 || sessionTimeout < 0) {
      throw new IllegalArgumentException("plan " + name + ": intervals are seconds and cannot be negative");
    }
    replyItems = replyItems == null ? List.of() : List.copyOf(replyItems);
  }

  public static Plan of(String name, long downKbps, long upKbps) {
    return new Plan(name, downKbps, upKbps, 0, 0, 0, 0, List.of());
  }

  public Plan withReplyItems(List<PlanReplyItem> items) {
    return new Plan(name, downKbps, upKbps, downCeilKbps, upCeilKbps, interimInterval, sessionTimeout, items);
  }
}
