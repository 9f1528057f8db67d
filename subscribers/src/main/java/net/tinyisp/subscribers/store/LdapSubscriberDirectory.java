package net.tinyisp.subscribers.store;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;

/**
 * Subscribers read from an LDAP directory (read-only: operators manage them with their LDAP tools). Plans come from
 * another directory, normally the JDBC store.
 */
public final class LdapSubscriberDirectory implements SubscriberDirectory, AutoCloseable {
  private final LdapConfig config;
  private final SubscriberDirectory plans;
  private final LDAPConnectionPool pool;

  public LdapSubscriberDirectory(LdapConfig config, SubscriberDirectory plans) throws StoreException {
    this.config = config;
    this.plans = plans;
    URI u = URI.create(config.url());
    boolean tls = "ldaps".equals(u.getScheme());
    int port = u.getPort() > 0 ? u.getPort() : tls ? 636 : 389;
    LDAPConnectionOptions opts = new LDAPConnectionOptions();
    opts.setConnectTimeoutMillis(config.timeoutMillis());
    opts.setResponseTimeoutMillis(config.timeoutMillis());
    try {
      LDAPConnection c = tls
          ? new LDAPConnection(new SSLUtil(new TrustStoreTrustManager(System.getProperty("java.home")
              + "/lib/security/cacerts")).createSSLSocketFactory(), opts, u.getHost(), port)
          : new LDAPConnection(opts, u.getHost(), port);
      if (!config.bindDn().isEmpty()) c.bind(config.bindDn(), config.bindPassword());
      this.pool = new LDAPConnectionPool(c, config.connections());
    } catch (LDAPException | java.security.GeneralSecurityException e) {
      throw new StoreException("cannot connect to LDAP " + config.url() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Subscriber> subscriber(String username) throws StoreException {
    String filter = config.userFilter().replace("{0}", Filter.encodeValue(username));
    try {
      SearchRequest req = new SearchRequest(config.baseDn(), SearchScope.SUB, Filter.create(filter),
          config.passwordAttribute(), config.planAttribute(), config.framedIpv6PrefixAttribute(),
          config.delegatedIpv6PrefixAttribute(), attr(config.enabledAttribute()), attr(config.dataCapAttribute()));
      req.setSizeLimit(2);
      req.setTimeLimitSeconds(Math.max(1, config.timeoutMillis() / 1000));
      SearchResult r = pool.search(req);
      if (r.getEntryCount() == 0) return Optional.empty();
      if (r.getEntryCount() > 1) {
        throw new StoreException("LDAP filter " + filter + " matches more than one entry; make it unique");
      }
      return Optional.of(toSubscriber(username, r.getSearchEntries().getFirst()));
    } catch (LDAPException e) {
      if (e.getResultCode() == com.unboundid.ldap.sdk.ResultCode.SIZE_LIMIT_EXCEEDED) {
        throw new StoreException("LDAP filter " + filter + " matches more than one entry; make it unique", e);
      }
      throw new StoreException("LDAP search for " + username + " failed: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new StoreException("LDAP entry of " + username + " is unusable: " + e.getMessage(), e);
    }
  }

  private static String attr(String name) {
    return name == null ? "1.1" : name; // "1.1" requests no attribute (RFC 4511 §4.5.1.8)
  }

  private Subscriber toSubscriber(String username, SearchResultEntry e) {
    byte[] pw = e.getAttributeValueBytes(config.passwordAttribute());
    if (pw == null) throw new IllegalArgumentException("no " + config.passwordAttribute());
    String text = new String(pw, StandardCharsets.UTF_8);
    StoredPassword password;
    if (text.startsWith("{") && !text.startsWith("{CLEARTEXT}")) {
      password = StoredPassword.decode(text); // a hash scheme we know, or a clear error
    } else {
      password = new StoredPassword.Cleartext(text.startsWith("{CLEARTEXT}") ? text.substring(11) : text);
    }
    String plan = e.getAttributeValue(config.planAttribute());
    if (plan == null) plan = config.defaultPlan();
    if (plan == null) throw new IllegalArgumentException("no " + config.planAttribute() + " and no default-plan");
    boolean enabled = true;
    if (config.enabledAttribute() != null && e.hasAttribute(config.enabledAttribute())) {
      enabled = !"FALSE".equalsIgnoreCase(e.getAttributeValue(config.enabledAttribute()));
    }
    long cap = 0;
    if (config.dataCapAttribute() != null && e.hasAttribute(config.dataCapAttribute())) {
      cap = Long.parseLong(e.getAttributeValue(config.dataCapAttribute()).strip());
    }
    return new Subscriber(username, password, password instanceof StoredPassword.Cleartext, plan,
        prefix(e.getAttributeValue(config.framedIpv6PrefixAttribute())),
        prefix(e.getAttributeValue(config.delegatedIpv6PrefixAttribute())), enabled, cap);
  }

  private static IpPrefix prefix(String text) {
    return text == null ? null : IpPrefix.parse(text);
  }

  @Override
  public Optional<Plan> plan(String name) throws StoreException {
    return plans.plan(name);
  }

  @Override
  public void close() {
    pool.close();
  }
}
