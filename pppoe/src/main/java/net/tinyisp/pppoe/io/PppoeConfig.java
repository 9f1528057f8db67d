package net.tinyisp.pppoe.io;

import java.net.InetAddress;
import java.util.List;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.common.net.IpPrefix;

/**
 * The {@code pppoe} section: the access concentrator on one Ethernet interface. Every key but {@code interface},
 * {@code prefix-pool} and the RADIUS servers has a default; see pppoe/README.md for the table.
 */
public record PppoeConfig(
    @com.fasterxml.jackson.annotation.JsonProperty("interface") String iface,
    String acName,
    List<String> serviceNames,
    Integer maxSessions,
    List<String> auth,
    Integer lcpEchoInterval,
    Integer lcpEchoFailure,
    List<String> radius,
    List<String> radiusAccounting,
    String radiusSecret,
    String nasIdentifier,
    String prefixPool,
    Integer pdLength,
    String linkPool,
    List<String> dns,
    String pref64,
    String tun,
    Boolean setup,
    Double padiPerMacPerSecond,
    Double padiPerSecond,
    String coaListen,
    String counterReset,
    String uplinkDown) {

  /** The record before {@code uplink-down} existed: per-session download shaping. */
  public PppoeConfig(String iface, String acName, List<String> serviceNames, Integer maxSessions, List<String> auth,
      Integer lcpEchoInterval, Integer lcpEchoFailure, List<String> radius, List<String> radiusAccounting,
      String radiusSecret, String nasIdentifier, String prefixPool, Integer pdLength, String linkPool, List<String> dns,
      String pref64, String tun, Boolean setup, Double padiPerMacPerSecond, Double padiPerSecond, String coaListen,
      String counterReset) {
    this(iface, acName, serviceNames, maxSessions, auth, lcpEchoInterval, lcpEchoFailure, radius, radiusAccounting,
        radiusSecret, nasIdentifier, prefixPool, pdLength, linkPool, dns, pref64, tun, setup, padiPerMacPerSecond,
        padiPerSecond, coaListen, counterReset, null);
  }

  public PppoeConfig {
    if (iface == null || iface.isBlank()) throw new IllegalArgumentException("'interface' names the subscriber-facing Ethernet interface");
    acName = acName == null ? "tinyisp" : acName;
    serviceNames = serviceNames == null ? List.of() : List.copyOf(serviceNames);
    maxSessions = maxSessions == null ? 10_000 : maxSessions;
    if (maxSessions < 1 || maxSessions > 65_534) throw new IllegalArgumentException("'max-sessions' must be 1..65534");
    auth = auth == null ? List.of("chap", "pap") : List.copyOf(auth);
    for (String a : auth) {
      if (!a.equals("chap") && !a.equals("pap")) throw new IllegalArgumentException("'auth' takes chap and pap, not '" + a + "'");
    }
    lcpEchoInterval = lcpEchoInterval == null ? 20 : lcpEchoInterval;
    lcpEchoFailure = lcpEchoFailure == null ? 3 : lcpEchoFailure;
    if (radius == null || radius.isEmpty()) throw new IllegalArgumentException("'radius' needs at least one ADDRESS:PORT");
    radius = List.copyOf(radius);
    radius.forEach(r -> HostPort.parse(r, 1812));
    radiusAccounting = radiusAccounting == null
        ? radius.stream().map(r -> { HostPort h = HostPort.parse(r, 1812); return new HostPort(h.address(), h.port() + 1).toString(); }).toList()
        : List.copyOf(radiusAccounting);
    radiusAccounting.forEach(r -> HostPort.parse(r, 1813));
    if (radiusSecret == null || radiusSecret.isEmpty()) throw new IllegalArgumentException("'radius-secret' is required");
    nasIdentifier = nasIdentifier == null ? acName : nasIdentifier;
    if (prefixPool == null) throw new IllegalArgumentException("'prefix-pool' (e.g. 2001:db8:100::/40) is required");
    IpPrefix pool = IpPrefix.parse(prefixPool);
    pdLength = pdLength == null ? 48 : pdLength;
    if (pool.isIpv4() || pdLength < pool.length() || pdLength > 64) {
      throw new IllegalArgumentException("'pd-length' /" + pdLength + " does not fit in 'prefix-pool' " + pool);
    }
    if (linkPool != null) IpPrefix.parse(linkPool);
    dns = dns == null ? List.of() : List.copyOf(dns);
    dns.forEach(d -> IpPrefix.parse(d + "/128"));
    if (pref64 != null) IpPrefix.parse(pref64);
    tun = tun == null ? "pppoe0" : tun;
    setup = setup == null || setup;
    padiPerMacPerSecond = padiPerMacPerSecond == null ? 5.0 : padiPerMacPerSecond;
    padiPerSecond = padiPerSecond == null ? 1000.0 : padiPerSecond;
    // RFC 5176: the RADIUS server sends CoA/Disconnect-Request to the NAS on 3799; only the configured RADIUS
    // servers, with the shared secret and a valid Message-Authenticator, are answered
    coaListen = coaListen == null ? "0.0.0.0:3799" : coaListen;
    if (!coaListen.equals("off")) HostPort.parse(coaListen, 3799);
    if (counterReset != null) CronSchedule.parse(counterReset);
    // the hierarchy's root: the download capacity the sessions share (bit/s with k/M/G); absent = per-session tbf
    if (uplinkDown != null) net.tinyisp.shaping.SpeedLimits.parseRate("'uplink-down'", uplinkDown);
  }

  /** {@code uplink-down} in bit/s, or 0 when absent (per-session download shaping, no borrowing). */
  public long uplinkDownBps() {
    return uplinkDown == null ? 0 : net.tinyisp.shaping.SpeedLimits.parseRate("'uplink-down'", uplinkDown);
  }

  /** Link /64s: the configured pool, else the first /pd-length block of the prefix pool (kept out of delegation). */
  public IpPrefix linkPrefixPool() {
    if (linkPool != null) return IpPrefix.parse(linkPool);
    return new IpPrefix(IpPrefix.parse(prefixPool).network(), pdLength);
  }

  public List<InetAddress> dnsAddresses() {
    return dns.stream().map(d -> IpPrefix.parse(d + "/128").address()).toList();
  }
}
