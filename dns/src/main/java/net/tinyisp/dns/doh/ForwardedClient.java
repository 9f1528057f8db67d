package net.tinyisp.dns.doh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;

/**
 * The subscriber behind a reverse proxy, from {@code Forwarded} (RFC 7239) or {@code X-Forwarded-For}, believed
 * only when the TCP peer is a configured trusted proxy. The list is read right to left and the first address
 * that is not itself a trusted proxy is the client (RFC 7239 §7.4: only the hops you trust can be believed).
 */
public final class ForwardedClient {
  private static final int MAX_HOPS = 32;

  private ForwardedClient() {}

  public static InetAddress resolve(InetAddress peer, List<IpPrefix> trusted, String forwarded, String xForwardedFor) {
    if (!isTrusted(peer, trusted)) {
      return peer;
    }
    List<String> hops = forwarded != null ? forwardedFor(forwarded)
        : xForwardedFor != null ? split(xForwardedFor) : List.of();
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress a = literal(hops.get(i));
      if (a == null) {
        return peer; // "unknown" or an obfuscated identifier (RFC 7239 §6.3): nothing better than the proxy
      }
      if (!isTrusted(a, trusted)) {
        return a;
      }
    }
    return peer;
  }

  static boolean isTrusted(InetAddress a, List<IpPrefix> trusted) {
    for (IpPrefix p : trusted) {
      if (p.contains(a)) return true;
    }
    return false;
  }

  private static List<String> split(String header) {
    List<String> out = new ArrayList<>();
    for (String s : header.split(",", MAX_HOPS + 1)) {
      if (out.size() == MAX_HOPS) break;
      out.add(s.strip());
    }
    return out;
  }

  /** The {@code for=} value of each element: {@code for=198.51.100.7;proto=https, for="[2001:db8::1]:4711"}. */
  static List<String> forwardedFor(String header) {
    List<String> out = new ArrayList<>();
    for (String element : split(header)) {
      String value = null;
      for (String pair : element.split(";", 16)) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
          value = pair.substring(eq + 1).strip();
        }
      }
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  /** A literal address from a hop, with optional quotes, brackets and port; never a DNS lookup. */
  static InetAddress literal(String hop) {
    String s = hop.strip();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) return null;
      s = s.substring(1, close);
    } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') > 0) {
      s = s.substring(0, s.indexOf(':')); // IPv4:port
    }
    boolean v4 = s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    boolean v6 = !v4 && s.length() <= 45 && s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) return null;
    try {
      return InetAddress.getByName(s); // a literal: no resolver involved
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
