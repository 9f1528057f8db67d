package net.tinyisp.dns.tls;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.common.net.IpPrefix;

/**
 * The encrypted listeners of the resolver (YAML block {@code encrypted:} next to {@code dns64:}). Addresses are
 * literals ({@code 127.0.0.1:853}, {@code [::1]:443}); {@code cert} is the Let's Encrypt {@code fullchain.pem}
 * (or {@code cert.pem} with {@code chain}), {@code key} the {@code privkey.pem}. Without {@code cert} a
 * self-signed certificate is generated under {@code data-dir/tls/}.
 *
 * @param dot DoT listeners (RFC 7858), default port 853
 * @param doh DoH listeners over TLS, HTTP/2 and HTTP/1.1 (RFC 8484), default port 443
 * @param dohPlain plain-HTTP DoH listeners for a reverse proxy in front (nginx), default port 8080
 * @param trustedProxy peers whose Forwarded / X-Forwarded-For / PROXY v2 client address is believed
 * @param idleTimeoutSeconds an idle DoT/DoH connection is closed after this (RFC 7858 §3.4, RFC 7766 §6.2.3)
 * @param maxConnections open TLS/HTTP connections over all encrypted listeners; more are closed at accept
 * @param maxConcurrentStreams HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS, and DoT queries in flight per connection
 * @param reloadCheckSeconds how often the certificate files' mtimes are compared (renewal pickup)
 */
public record EncryptedDnsConfig(
    @JsonProperty("dot") List<String> dot,
    @JsonProperty("doh") List<String> doh,
    @JsonProperty("doh-plain") List<String> dohPlain,
    @JsonProperty("cert") String cert,
    @JsonProperty("key") String key,
    @JsonProperty("chain") String chain,
    @JsonProperty("trusted-proxy") List<String> trustedProxy,
    @JsonProperty("idle-timeout-seconds") Integer idleTimeoutSeconds,
    @JsonProperty("max-connections") Integer maxConnections,
    @JsonProperty("max-concurrent-streams") Integer maxConcurrentStreams,
    @JsonProperty("reload-check-seconds") Integer reloadCheckSeconds,
    @JsonProperty("data-dir") String dataDir) {

  public EncryptedDnsConfig {
    dot = dot == null ? List.of() : List.copyOf(dot);
    doh = doh == null ? List.of() : List.copyOf(doh);
    dohPlain = dohPlain == null ? List.of() : List.copyOf(dohPlain);
    trustedProxy = trustedProxy == null ? List.of() : List.copyOf(trustedProxy);
    idleTimeoutSeconds = positive("idle-timeout-seconds", idleTimeoutSeconds, 30);
    maxConnections = positive("max-connections", maxConnections, 10_000);
    maxConcurrentStreams = positive("max-concurrent-streams", maxConcurrentStreams, 100);
    reloadCheckSeconds = positive("reload-check-seconds", reloadCheckSeconds, 30);
    dataDir = dataDir == null ? "/var/lib/tinyisp" : dataDir;
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("cert and key go together: give both (fullchain.pem and privkey.pem) or neither");
    }
    if (chain != null && cert == null) {
      throw new IllegalArgumentException("chain needs cert and key");
    }
    // parse now so that a typo fails at start with the offending entry
    parse(dot, 853);
    parse(doh, 443);
    parse(dohPlain, 8080);
    trustedProxy.forEach(IpPrefix::parse);
  }

  /** Listeners and certificates only; every tuning knob at its default. */
  public static EncryptedDnsConfig of(List<String> dot, List<String> doh, List<String> dohPlain, String cert,
      String key, List<String> trustedProxy, String dataDir) {
    return new EncryptedDnsConfig(dot, doh, dohPlain, cert, key, null, trustedProxy, null, null, null, null, dataDir);
  }

  private static int positive(String name, Integer v, int dflt) {
    if (v == null) return dflt;
    if (v <= 0) throw new IllegalArgumentException(name + " must be a positive number, not " + v);
    return v;
  }

  private static List<HostPort> parse(List<String> list, int port) {
    return list.stream().map(s -> HostPort.parse(s, port)).toList();
  }

  public List<HostPort> dotListen() {
    return parse(dot, 853);
  }

  public List<HostPort> dohListen() {
    return parse(doh, 443);
  }

  public List<HostPort> dohPlainListen() {
    return parse(dohPlain, 8080);
  }

  public List<IpPrefix> trustedProxies() {
    return trustedProxy.stream().map(IpPrefix::parse).toList();
  }

  public Duration idleTimeout() {
    return Duration.ofSeconds(idleTimeoutSeconds);
  }

  /** The configured files, or null when the self-signed default applies. */
  public CertificateFiles certificateFiles() {
    return cert == null ? null : new CertificateFiles(Path.of(cert), Path.of(key), chain == null ? null : Path.of(chain));
  }
}
