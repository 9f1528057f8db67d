package net.tinyisp.dns.proxy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.tinyisp.common.net.HostPort;

/**
 * The DNS->DoH/DoT proxy ({@code tinyisp doh-proxy}, YAML block {@code doh-proxy:}).
 *
 * @param listen plain DNS listeners, UDP and TCP on each; default 127.0.0.1:53 and [::1]:53
 * @param upstream {@code https://HOST[:PORT]/PATH} (DoH) or {@code tls://HOST[:PORT]} (DoT), in preference order
 * @param bootstrap addresses for the upstream host names so that no plain DNS is needed to reach them:
 *     {@code HOST=ADDRESS}, or a bare {@code ADDRESS} for every upstream given by name
 * @param insecure do not verify upstream certificates (tests only)
 * @param ca a PEM file of CA certificates to trust instead of the system store
 */
public record DohProxyConfig(
    @JsonProperty("listen") List<String> listen,
    @JsonProperty("upstream") List<String> upstream,
    @JsonProperty("bootstrap") List<String> bootstrap,
    @JsonProperty("insecure") Boolean insecure,
    @JsonProperty("ca") String ca,
    @JsonProperty("cache-size") Integer cacheSize,
    @JsonProperty("cache-max-ttl") Integer cacheMaxTtl,
    @JsonProperty("timeout-ms") Integer timeoutMs,
    @JsonProperty("tcp-idle-timeout-ms") Integer tcpIdleTimeoutMs) {

  public static final List<String> DEFAULT_LISTEN = List.of("127.0.0.1:53", "[::1]:53");

  public DohProxyConfig {
    listen = listen == null || listen.isEmpty() ? DEFAULT_LISTEN : List.copyOf(listen);
    listen.forEach(l -> HostPort.parse(l, 53));
    if (upstream == null || upstream.isEmpty()) {
      throw new IllegalArgumentException("at least one upstream: https://HOST/dns-query or tls://HOST:853");
    }
    upstream = List.copyOf(upstream);
    upstream.forEach(UpstreamUrl::parse);
    bootstrap = bootstrap == null ? List.of() : List.copyOf(bootstrap);
    insecure = insecure != null && insecure;
    cacheSize = positive("cache-size", cacheSize, 10_000);
    cacheMaxTtl = positive("cache-max-ttl", cacheMaxTtl, 86_400);
    timeoutMs = positive("timeout-ms", timeoutMs, 2_000);
    tcpIdleTimeoutMs = positive("tcp-idle-timeout-ms", tcpIdleTimeoutMs, 10_000);
    bootstrapMap(bootstrap);
  }

  public static DohProxyConfig of(List<String> listen, List<String> upstream, List<String> bootstrap,
      boolean insecure, String ca) {
    return new DohProxyConfig(listen, upstream, bootstrap, insecure, ca, null, null, null, null);
  }

  private static int positive(String name, Integer v, int dflt) {
    if (v == null) return dflt;
    if (v <= 0) throw new IllegalArgumentException(name + " must be a positive number, not " + v);
    return v;
  }

  public List<HostPort> listenAddresses() {
    return listen.stream().map(l -> HostPort.parse(l, 53)).toList();
  }

  public List<UpstreamUrl> upstreamUrls() {
    return upstream.stream().map(UpstreamUrl::parse).toList();
  }

  public Path caFile() {
    return ca == null ? null : Path.of(ca);
  }

  /** The address to connect to for an upstream host; null when the host is a literal or has no bootstrap. */
  public InetAddress bootstrapFor(String host) {
    Map<String, InetAddress> m = bootstrapMap(bootstrap);
    InetAddress a = m.get(host.toLowerCase());
    if (a == null && !isLiteral(host)) a = m.get("*");
    return a;
  }

  private static Map<String, InetAddress> bootstrapMap(List<String> entries) {
    Map<String, InetAddress> m = new HashMap<>();
    for (String e : entries) {
      int eq = e.indexOf('=');
      String host = eq < 0 ? "*" : e.substring(0, eq).strip().toLowerCase();
      String addr = (eq < 0 ? e : e.substring(eq + 1)).strip();
      if (!isLiteral(addr)) {
        throw new IllegalArgumentException("bootstrap '" + e + "': expected HOST=ADDRESS or ADDRESS (a literal IP)");
      }
      m.put(host, HostPort.parse(addr.indexOf(':') >= 0 && !addr.startsWith("[") ? "[" + addr + "]" : addr, 0)
          .address());
    }
    return m;
  }

  static boolean isLiteral(String s) {
    if (s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || s.matches("\\[?[0-9A-Fa-f:.]+]?") && s.indexOf(':') >= 0) {
      try {
        InetAddress.getByName(s.replace("[", "").replace("]", ""));
        return true;
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }
}
