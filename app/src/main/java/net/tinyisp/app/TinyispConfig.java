package net.tinyisp.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import net.tinyisp.admin.AdminConfig;
import net.tinyisp.dns.config.Dns64Config;
import net.tinyisp.dns.proxy.DohProxyConfig;
import net.tinyisp.dns.tls.EncryptedDnsConfig;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.pppoe.io.PppoeConfig;

/**
 * The one YAML file: a section per component. A missing section means that component does not run, except admin,
 * which runs on loopback unless disabled. Keys are kebab-case, as in bind and Jool. {@code encrypted-dns} adds DoT
 * and DoH listeners to the {@code dns64} resolver and needs that section.
 */
public record TinyispConfig(
    String dataDir,
    LogConfig log,
    AdminConfig admin,
    Dns64Config dns64,
    @JsonProperty("encrypted-dns") EncryptedDnsConfig encryptedDns,
    @JsonProperty("doh-proxy") DohProxyConfig dohProxy,
    Nat64Config nat64,
    PppoeConfig pppoe) {

  public TinyispConfig {
    dataDir = dataDir == null || dataDir.isBlank() ? "./data" : dataDir;
    log = log == null ? new LogConfig(null, null) : log;
    admin = admin == null ? AdminConfig.defaults() : admin;
    if (encryptedDns != null && dns64 == null) {
      throw new IllegalArgumentException("'encrypted-dns' serves the dns64 resolver: add a 'dns64' section too");
    }
  }

  /** Only the admin listener; the per-component commands add their one section with {@code with*}. */
  public static TinyispConfig adminOnly(AdminConfig admin) {
    return new TinyispConfig(null, null, admin, null, null, null, null, null);
  }

  public TinyispConfig withDns64(Dns64Config d, EncryptedDnsConfig e) {
    return new TinyispConfig(dataDir, log, admin, d, e, dohProxy, nat64, pppoe);
  }

  public TinyispConfig withDohProxy(DohProxyConfig p) {
    return new TinyispConfig(dataDir, log, admin, dns64, encryptedDns, p, nat64, pppoe);
  }

  public TinyispConfig withNat64(Nat64Config n) {
    return new TinyispConfig(dataDir, log, admin, dns64, encryptedDns, dohProxy, n, pppoe);
  }

  public TinyispConfig withPppoe(PppoeConfig p) {
    return new TinyispConfig(dataDir, log, admin, dns64, encryptedDns, dohProxy, nat64, p);
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }

  /** @param format {@code text} (default) or {@code json}; @param level root level, default INFO */
  public record LogConfig(String format, String level) {
    public LogConfig {
      format = format == null ? "text" : format;
      level = level == null ? "INFO" : level.toUpperCase();
      if (!format.equals("text") && !format.equals("json")) {
        throw new IllegalArgumentException("log.format '" + format + "': expected text or json");
      }
      if (!level.matches("TRACE|DEBUG|INFO|WARN|ERROR|OFF")) {
        throw new IllegalArgumentException("log.level '" + level + "': expected one of trace, debug, info, warn, error, off");
      }
    }
  }
}
