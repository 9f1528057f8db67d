package net.tinyisp.subscribers;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import net.tinyisp.subscribers.accounting.AccountingConfig;
import net.tinyisp.subscribers.caps.CapPolicy;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.Dialect;
import net.tinyisp.subscribers.store.LdapConfig;

/**
 * The subscriber store's settings (YAML key {@code subscribers}).
 *
 * <pre>
 * subscribers:
 *   store: jdbc:postgresql://db.isp.example/tinyisp?user=radius&amp;password=...   # default: SQLite in data-dir
 *   data-dir: /var/lib/tinyisp
 *   pool-size: 8
 *   ldap:                       # optional: read subscribers from LDAP instead (plans stay in the store)
 *     url: ldap://ldap.isp.example:389
 *     base-dn: ou=people,dc=isp,dc=example
 *   accounting:
 *     period: monthly
 *     period-zone: Europe/Berlin
 *   caps:
 *     action: throttle
 *     down-kbps: 1024
 *     up-kbps: 512
 * </pre>
 */
public record SubscribersConfig(
    @JsonProperty("store") String store,
    @JsonProperty("data-dir") String dataDir,
    @JsonProperty("pool-size") Integer poolSize,
    @JsonProperty("ldap") LdapConfig ldap,
    @JsonProperty("accounting") AccountingConfig accounting,
    @JsonProperty("caps") CapPolicy caps,
    @JsonProperty("coa-port") Integer coaPort,
    @JsonProperty("coa-timeout-millis") Integer coaTimeoutMillis) {

  public SubscribersConfig {
    if (dataDir == null || dataDir.isBlank()) dataDir = "./data";
    if (store == null || store.isBlank()) store = Database.defaultUrl(Path.of(dataDir));
    Dialect.of(store); // fails with the expected forms
    if (poolSize == null) poolSize = 8;
    if (poolSize < 2 || poolSize > 256) throw new IllegalArgumentException("pool-size must be 2..256");
    if (accounting == null) accounting = AccountingConfig.defaults();
    if (caps == null) caps = CapPolicy.defaults();
    if (coaPort == null) coaPort = 3799;
    if (coaPort < 1 || coaPort > 65535) throw new IllegalArgumentException("coa-port must be 1..65535");
    if (coaTimeoutMillis == null) coaTimeoutMillis = 1000;
    if (coaTimeoutMillis < 10) throw new IllegalArgumentException("coa-timeout-millis must be >= 10");
  }

  public static SubscribersConfig defaults() {
    return new SubscribersConfig(null, null, null, null, null, null, null, null);
  }

  public static SubscribersConfig of(String store) {
    return new SubscribersConfig(store, null, null, null, null, null, null, null);
  }

  @Override
  public String toString() {
    return "SubscribersConfig[store=" + store.replaceAll("(?i)(password=)[^&]*", "$1***") + ", ldap=" + ldap + "]";
  }
}
