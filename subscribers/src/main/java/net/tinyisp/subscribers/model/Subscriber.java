package net.tinyisp.subscribers.model;

import java.util.Objects;
import java.util.regex.Pattern;
import net.tinyisp.common.net.IpPrefix;

/**
 * One subscriber account.
 *
 * @param password how the password is stored: hashed, or in clear only when {@code chapCapable}
 * @param chapCapable CHAP (RFC 1994, RFC 2865 §5.3) proves knowledge of the cleartext, so the store must keep it in
 *     clear; only subscribers marked so are stored that way
 * @param framedIpv6Prefix static {@code Framed-IPv6-Prefix} (RFC 3162 §2.3), the link /64, or null
 * @param delegatedIpv6Prefix static {@code Delegated-IPv6-Prefix} (RFC 4818), or null
 * @param dataCapBytes octets (in + out) per usage period; 0 = no cap
 */
public record Subscriber(String username, StoredPassword password, boolean chapCapable, String plan,
    IpPrefix framedIpv6Prefix, IpPrefix delegatedIpv6Prefix, boolean enabled, long dataCapBytes) {

  // RFC 2865 §5.1: User-Name is at most 253 octets of text; control characters are never useful in a login
  private static final Pattern USERNAME = Pattern.compile("[^\\p{Cntrl}]{1,253}");

  public Subscriber {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(plan, "plan");
    if (!USERNAME.matcher(username).matches()
        || username.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 253) {
      throw new IllegalArgumentException("username must be 1-253 octets without control characters");
    }
    if (password instanceof StoredPassword.Cleartext && !chapCapable) {
      throw new IllegalArgumentException(username + ": a cleartext password is stored only for chap-capable"
          + " subscribers; hash it");
    }
    if (chapCapable && !(password instanceof StoredPassword.Cleartext)) {
      throw new IllegalArgumentException(username + ": chap-capable needs the cleartext password (CHAP, RFC 1994)");
    }
    if (framedIpv6Prefix != null && (framedIpv6Prefix.isIpv4() || framedIpv6Prefix.length() > 64)) {
      throw new IllegalArgumentException(username + ": Framed-IPv6-Prefix must be an IPv6 prefix of /64 or shorter");
    }
    if (delegatedIpv6Prefix != null && delegatedIpv6Prefix.isIpv4()) {
      throw new IllegalArgumentException(username + ": Delegated-IPv6-Prefix must be IPv6");
    }
    if (dataCapBytes < 0) {
      throw new IllegalArgumentException(username + ": the data cap cannot be negative");
    }
  }

  public Subscriber withPlan(String newPlan) {
    return new Subscriber(username, password, chapCapable, newPlan, framedIpv6Prefix, delegatedIpv6Prefix, enabled,
        dataCapBytes);
  }

  public Subscriber withEnabled(boolean on) {
    return new Subscriber(username, password, chapCapable, plan, framedIpv6Prefix, delegatedIpv6Prefix, on,
        dataCapBytes);
  }
}
