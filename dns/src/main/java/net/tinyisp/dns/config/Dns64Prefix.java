package net.tinyisp.dns.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.dns.acl.Acl;
import net.tinyisp.dns.dns64.Rfc6052;

/**
 * One bind {@code dns64} block: the prefix and its options, with bind's defaults ({@code clients any},
 * {@code mapped any}, {@code exclude ::ffff:0:0/96}, no suffix, {@code break-dnssec no}, {@code recursive-only no}).
 */
public record Dns64Prefix(
    String prefix,
    String clients,
    String mapped,
    String exclude,
    String suffix,
    @JsonProperty("break-dnssec") Boolean breakDnssec,
    @JsonProperty("recursive-only") Boolean recursiveOnly) {

  public Dns64Prefix {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("a dns64 block needs 'prefix', e.g. 64:ff9b::/96");
    }
    clients = clients == null ? "any;" : clients;
    mapped = mapped == null ? "any;" : mapped;
    exclude = exclude == null ? "::ffff:0:0/96;" : exclude;
    suffix = suffix == null ? "::" : suffix;
    breakDnssec = breakDnssec != null && breakDnssec;
    recursiveOnly = recursiveOnly != null && recursiveOnly;
    rfc6052(prefix, suffix); // validates both
    Acl.parse(clients);
    Acl.parse(mapped);
    Acl.parse(exclude);
  }

  public static Dns64Prefix of(String prefix) {
    return new Dns64Prefix(prefix, null, null, null, null, null, null);
  }

  public Rfc6052 rfc6052() {
    return rfc6052(prefix, suffix);
  }

  private static Rfc6052 rfc6052(String prefix, String suffix) {
    IpPrefix p = IpPrefix.parse(prefix);
    IpPrefix s;
    try {
      s = IpPrefix.parse(suffix);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("suffix '" + suffix + "' is not an IPv6 address");
    }
    if (s.isIpv4() || s.length() != 128) {
      throw new IllegalArgumentException("suffix '" + suffix + "' must be an IPv6 address such as ::1");
    }
    return new Rfc6052(p, s.network());
  }
}
