package net.tinyisp.subscribers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.subscribers.model.PasswordHash;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-only LDAP backend against UnboundID's in-memory directory server on loopback. */
class LdapSubscriberDirectoryTest {
  @TempDir Path dir;
  InMemoryDirectoryServer server;
  Database db;
  LdapSubscriberDirectory ldap;

  @BeforeEach
  void start() throws Exception {
    InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig("dc=isp,dc=example");
    cfg.addAdditionalBindCredentials("cn=radius,dc=isp,dc=example", "bind-secret");
    cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
        InetAddress.getLoopbackAddress(), 0, null));
    cfg.setSchema(null); // the site schema carries tinyispPlan etc.; the test does not need to define it
    server = new InMemoryDirectoryServer(cfg);
    server.startListening();
    server.add("dn: dc=isp,dc=example", "objectClass: top", "objectClass: domain", "dc: isp");
    server.add("dn: ou=people,dc=isp,dc=example", "objectClass: organizationalUnit", "ou: people");
    server.add("dn: uid=alice,ou=people,dc=isp,dc=example", "objectClass: inetOrgPerson", "uid: alice",
        "cn: Alice", "sn: A", "userPassword: " + PasswordHash.ssha256("alice-pw"), "tinyispPlan: home",
        "radiusFramedIPv6Prefix: 2001:db8:5::/64", "radiusDelegatedIPv6Prefix: 2001:db8:500::/48",
        "tinyispDataCap: 5000000000");
    server.add("dn: uid=bob,ou=people,dc=isp,dc=example", "objectClass: inetOrgPerson", "uid: bob", "cn: Bob",
        "sn: B", "userPassword: bob-clear", "tinyispEnabled: FALSE");
    server.add("dn: uid=evil*,ou=people,dc=isp,dc=example", "objectClass: inetOrgPerson", "uid: evil*",
        "cn: E", "sn: E", "userPassword: x", "tinyispPlan: home");

    db = Database.open(TestDatabases.sqlite(dir), 2);
    JdbcSubscriberStore plans = new JdbcSubscriberStore(db);
    plans.addPlan(new Plan("home", 10240, 5120, 0, 0, 300, 0, List.of()));
    plans.addPlan(Plan.of("basic", 2048, 1024));
    ldap = new LdapSubscriberDirectory(new LdapConfig("ldap://127.0.0.1:" + server.getListenPort(),
        "cn=radius,dc=isp,dc=example", "bind-secret", "ou=people,dc=isp,dc=example", null, null, null, "basic",
        null, null, "tinyispEnabled", "tinyispDataCap", 2000, 2), plans);
  }

  @AfterEach
  void stop() {
    if (ldap != null) ldap.close();
    if (db != null) db.close();
    if (server != null) server.shutDown(true);
  }

  @Test
  void readsAHashedSubscriberWithPrefixesCapAndPlanFromTheStore() throws Exception {
    Subscriber a = ldap.subscriber("alice").orElseThrow();
    assertThat(a.password()).isInstanceOf(StoredPassword.Hashed.class);
    assertThat(a.password().matches("alice-pw")).isTrue();
    assertThat(a.password().matches("nope")).isFalse();
    assertThat(a.chapCapable()).isFalse();
    assertThat(a.plan()).isEqualTo("home");
    assertThat(a.framedIpv6Prefix()).isEqualTo(IpPrefix.parse("2001:db8:5::/64"));
    assertThat(a.delegatedIpv6Prefix()).isEqualTo(IpPrefix.parse("2001:db8:500::/48"));
    assertThat(a.dataCapBytes()).isEqualTo(5_000_000_000L);
    assertThat(a.enabled()).isTrue();
    assertThat(ldap.plan("home").orElseThrow().downKbps()).isEqualTo(10240);
  }

  @Test
  void aCleartextEntryIsChapCapableDisabledFlagAndDefaultPlanApply() throws Exception {
    Subscriber b = ldap.subscriber("bob").orElseThrow();
    assertThat(b.password()).isEqualTo(new StoredPassword.Cleartext("bob-clear"));
    assertThat(b.chapCapable()).isTrue();
    assertThat(b.enabled()).isFalse();
    assertThat(b.plan()).isEqualTo("basic");
  }

  @Test
  void unknownUsersAreEmptyAndFilterCharactersInUsernamesAreEscaped() throws Exception {
    assertThat(ldap.subscriber("carol")).isEmpty();
    // "*" must not become a wildcard that matches alice, bob and evil*
    assertThat(ldap.subscriber("*")).isEmpty();
    assertThat(ldap.subscriber("evil*").orElseThrow().username()).isEqualTo("evil*");
    assertThat(ldap.subscriber("x)(uid=alice")).isEmpty();
  }

  @Test
  void anUnreachableDirectoryIsAStoreError() throws Exception {
    int port = server.getListenPort();
    server.shutDown(true);
    assertThatThrownBy(() -> ldap.subscriber("alice")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> new LdapSubscriberDirectory(new LdapConfig("ldap://127.0.0.1:" + port, null, null,
        "dc=isp,dc=example", null, null, null, null, null, null, null, null, 500, 1), ldap))
        .isInstanceOf(StoreException.class).hasMessageContaining("cannot connect to LDAP");
  }
}
