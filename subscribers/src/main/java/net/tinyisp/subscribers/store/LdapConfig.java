package net.tinyisp.subscribers.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;

/**
 * The read-only LDAP subscriber directory (YAML {@code subscribers.ldap}), as the blog's FreeRADIUS setup used it.
 * Attribute names are configurable because every directory has its own schema; plans still come from the JDBC
 * store (an entry names its plan).
 *
 * @param url {@code ldap://host:389} (or {@code ldaps://})
 * @param bindDn DN to bind as; empty for anonymous
 * @param baseDn where subscriber entries live
 * @param userFilter search filter with {@code {0}} for the (escaped) username
 * @param passwordAttribute holds {@code {SSHA}...}, {@code {SSHA256}...}, or a cleartext password (then CHAP works)
 * @param planAttribute names the subscriber's plan; when absent from an entry, {@code defaultPlan} applies
 * @param enabledAttribute optional LDAP boolean ({@code TRUE}/{@code FALSE}); entries without it are enabled
 * @param dataCapAttribute optional octets per period
 */
public record LdapConfig(
    @JsonProperty("url") String url,
    @JsonProperty("bind-dn") String bindDn,
    @JsonProperty("bind-password") String bindPassword,
    @JsonProperty("base-dn") String baseDn,
    @JsonProperty("user-filter") String userFilter,
    @JsonProperty("password-attribute") String passwordAttribute,
    @JsonProperty("plan-attribute") String planAttribute,
    @JsonProperty("default-plan") String defaultPlan,
    @JsonProperty("framed-ipv6-prefix-attribute") String framedIpv6PrefixAttribute,
    @JsonProperty("delegated-ipv6-prefix-attribute") String delegatedIpv6PrefixAttribute,
    @JsonProperty("enabled-attribute") String enabledAttribute,
    @JsonProperty("data-cap-attribute") String dataCapAttribute,
    @JsonProperty("timeout-millis") Integer timeoutMillis,
    @JsonProperty("connections") Integer connections) {

  public LdapConfig {
    if (url == null || url.isBlank()) throw new IllegalArgumentException("ldap url is required (ldap://host:389)");
    URI u = URI.create(url);
    if (!"ldap".equals(u.getScheme()) && !"ldaps".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("ldap url '" + url + "' must be ldap://host[:port] or ldaps://host[:port]");
    }
    if (baseDn == null || baseDn.isBlank()) throw new IllegalArgumentException("ldap base-dn is required");
    if (bindDn == null) bindDn = "";
    if (bindPassword == null) bindPassword = "";
    if (userFilter == null) userFilter = "(uid={0})";
    if (!userFilter.contains("{0}")) throw new IllegalArgumentException("ldap user-filter needs {0} for the username");
    if (passwordAttribute == null) passwordAttribute = "userPassword";
    if (planAttribute == null) planAttribute = "tinyispPlan";
    if (framedIpv6PrefixAttribute == null) framedIpv6PrefixAttribute = "radiusFramedIPv6Prefix";
    if (delegatedIpv6PrefixAttribute == null) delegatedIpv6PrefixAttribute = "radiusDelegatedIPv6Prefix";
    if (timeoutMillis == null) timeoutMillis = 3000;
    if (connections == null) connections = 4;
    if (connections < 1 || timeoutMillis < 100) {
      throw new IllegalArgumentException("ldap connections >= 1 and timeout-millis >= 100");
    }
  }

  @Override
  public String toString() {
    return "LdapConfig[url=" + url + ", baseDn=" + baseDn + ", bindDn=" + bindDn + "]"; // never the password
  }
}
