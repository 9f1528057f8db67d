package net.tinyisp.pppoe.aaa;

import net.tinyisp.common.net.IpPrefix;

/**
 * What RADIUS decided for one subscriber. Absent values are null (pool addresses, no limit, no interim).
 *
 * @param framedIpv6Prefix RFC 3162 Framed-IPv6-Prefix: the /64 on the PPP link (else one from the link pool)
 * @param delegatedPrefix RFC 4818 Delegated-IPv6-Prefix (else one from the delegation pool)
 * @param sessionTimeoutSeconds RFC 2865 Session-Timeout
 * @param idleTimeoutSeconds RFC 2865 Idle-Timeout
 * @param interimIntervalSeconds RFC 2869 Acct-Interim-Interval
 * @param downKbps / upKbps speed limits in kbit/s from the vendor attributes (Roaring Penguin, WISPr, Mikrotik)
 * @param speedLimits the same attributes in full (guaranteed rate and ceiling for the hierarchical shaper), or null
 *     when only {@code downKbps}/{@code upKbps} are known
 */
public record Authorization(boolean accepted, String message, IpPrefix framedIpv6Prefix, IpPrefix delegatedPrefix,
    Integer sessionTimeoutSeconds, Integer idleTimeoutSeconds, Integer interimIntervalSeconds, Long downKbps,
    Long upKbps, net.tinyisp.shaping.SpeedLimits speedLimits) {

  /** Without the full speed attributes: the rates alone, no ceiling above them. */
  public Authorization(boolean accepted, String message, IpPrefix framedIpv6Prefix, IpPrefix delegatedPrefix,
      Integer sessionTimeoutSeconds, Integer idleTimeoutSeconds, Integer interimIntervalSeconds, Long downKbps,
      Long upKbps) {
    this(accepted, message, framedIpv6Prefix, delegatedPrefix, sessionTimeoutSeconds, idleTimeoutSeconds,
        interimIntervalSeconds, downKbps, upKbps, null);
  }

  public static Authorization reject(String message) {
    return new Authorization(false, message, null, null, null, null, null, null, null);
  }

  public static Authorization accept() {
    return new Authorization(true, null, null, null, null, null, null, null, null);
  }
}
