package net.tinyisp.subscribers.caps;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What happens when a subscriber passes its data cap (YAML {@code subscribers.caps}).
 *
 * @param action {@code throttle}: CoA-Request with the capped speeds (the session stays up); {@code disconnect}:
 *     Disconnect-Request, and new logins are rejected until the period rolls over
 * @param downKbps capped downstream speed in kbit/s ({@code RP-Downstream-Speed-Limit})
 * @param upKbps capped upstream speed in kbit/s ({@code RP-Upstream-Speed-Limit})
 */
public record CapPolicy(
    @JsonProperty("action") Action action,
    @JsonProperty("down-kbps") Long downKbps,
    @JsonProperty("up-kbps") Long upKbps) {

  public enum Action { THROTTLE, DISCONNECT }

  public CapPolicy {
    if (action == null) action = Action.THROTTLE;
    if (downKbps == null) downKbps = 1024L;
    if (upKbps == null) upKbps = 512L;
    if (downKbps < 1 || upKbps < 1 || downKbps > 0xffffffffL || upKbps > 0xffffffffL) {
      throw new IllegalArgumentException("capped speeds are kbit/s in 1..4294967295");
    }
  }

  public static CapPolicy defaults() {
    return new CapPolicy(null, null, null);
  }
}
