package net.tinyisp.dns.proxy;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An encrypted upstream as operators write it: {@code https://dns.example/dns-query} (DoH, RFC 8484, port 443 by
 * default) or {@code tls://dns.example:853} (DoT, RFC 7858, port 853 by default).
 */
public record UpstreamUrl(Kind kind, String host, int port, String path) {
  public enum Kind { DOH, DOT }

  public static UpstreamUrl parse(String text) {
    URI u;
    try {
      u = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
    String host = u.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "': expected https://HOST[:PORT]/PATH or tls://HOST[:PORT]");
    }
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    return switch (scheme) {
      case "https" -> new UpstreamUrl(Kind.DOH, host, u.getPort() < 0 ? 443 : u.getPort(),
          u.getRawPath() == null || u.getRawPath().isEmpty() ? "/dns-query" : u.getRawPath());
      case "tls" -> new UpstreamUrl(Kind.DOT, host, u.getPort() < 0 ? 853 : u.getPort(), "");
      default -> throw new IllegalArgumentException("'" + text + "': scheme must be https:// (DoH) or tls:// (DoT)");
    };
  }

  /** {@code host:port} for the HTTP/2 :authority (RFC 9113 §8.3.1), brackets around IPv6. */
  public String authority() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return kind == Kind.DOH && port == 443 ? h : h + ":" + port;
  }

  @Override
  public String toString() {
    return kind == Kind.DOH ? "https://" + authority() + path : "tls://" + authority();
  }
}
