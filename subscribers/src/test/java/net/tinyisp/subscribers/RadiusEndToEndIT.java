package net.tinyisp.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.RadiusServer;
import net.tinyisp.radius.server.RadiusServerConfig;
import net.tinyisp.subscribers.model.PasswordHash;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.PlanReplyItem;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;
import net.tinyisp.subscribers.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** radclient -> tinyisp's RADIUS server -> the SQLite subscriber store, and accounting rows after the response. */
class RadiusEndToEndIT {
  static final String SECRET = "testing123";

  @TempDir static Path dir;
  static SubscribersService subscribers;
  static RadiusServer server;
  static String auth;
  static String acct;

  @BeforeAll
  static void start() throws Exception {
    SubscribersConfig cfg = new SubscribersConfig(null, dir.resolve("data").toString(), null, null, null, null,
        null, null);
    Metrics metrics = new Metrics();
    subscribers = new SubscribersService(cfg, Dictionary.standard(), nas -> Optional.of(SECRET), metrics);
    subscribers.start();
    var store = subscribers.store();
    store.addPlan(new Plan("blog", 10240, 5120, 0, 0, 300, 0, List.of(new PlanReplyItem("Idle-Timeout", "600"))));
    store.addSubscriber(new Subscriber("alice", new StoredPassword.Hashed(PasswordHash.pbkdf2("alice-pw", 10_000)),
        false, "blog", net.tinyisp.common.net.IpPrefix.parse("2001:db8:7::/64"),
        net.tinyisp.common.net.IpPrefix.parse("2001:db8:700::/48"), true, 0));
    store.addSubscriber(new Subscriber("bob", new StoredPassword.Cleartext("bob-pw"), true, "blog", null, null, true,
        0));
    store.addSubscriber(new Subscriber("carol", new StoredPassword.Cleartext("carol-pw"), true, "blog", null, null,
        false, 0));
    server = new RadiusServer(new RadiusServerConfig("127.0.0.1:0", "127.0.0.1:0",
        List.of(new RadiusServerConfig.Client("127.0.0.1", SECRET)), List.of(), null, null, null, null),
        Dictionary.standard(), subscribers.authBackend(), subscribers.accountingSink(), metrics);
    server.start();
    auth = "127.0.0.1:" + server.authAddress().getPort();
    acct = "127.0.0.1:" + server.acctAddress().getPort();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (subscribers != null) subscribers.close();
  }

  @Test
  void papAcceptCarriesThePlanAttributesFromTheStore() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    var r = Radclient.run(auth, "auth", SECRET,
        "User-Name = \"alice\", User-Password = \"alice-pw\", Message-Authenticator = 0x00");
    assertThat(r.received("Access-Accept")).as(r.output()).isTrue();
    assertThat(Radclient.lines(r)).contains("Acct-Interim-Interval = 300", "RP-Upstream-Speed-Limit = 5120",
        "RP-Downstream-Speed-Limit = 10240", "Framed-IPv6-Prefix = 2001:db8:7::/64",
        "Delegated-IPv6-Prefix = 2001:db8:700::/48", "Idle-Timeout = 600");
  }

  @Test
  void wrongPasswordUnknownAndDisabledUsersAreRejected() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    for (String attrs : List.of("User-Name = \"alice\", User-Password = \"nope\"",
        "User-Name = \"nobody\", User-Password = \"x\"",
        "User-Name = \"carol\", User-Password = \"carol-pw\"")) {
      var r = Radclient.run(auth, "auth", SECRET, attrs + ", Message-Authenticator = 0x00");
      assertThat(r.received("Access-Reject")).as(attrs + "\n" + r.output()).isTrue();
    }
  }

  @Test
  void chapWorksForAChapCapableSubscriber() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    // radclient computes CHAP-Password from a cleartext CHAP-Password attribute
    var r = Radclient.run(auth, "auth", SECRET,
        "User-Name = \"bob\", CHAP-Password = \"bob-pw\", Message-Authenticator = 0x00");
    assertThat(r.received("Access-Accept")).as(r.output()).isTrue();
  }

  @Test
  void accountingRowsArePresentOnceTheAccountingResponseArrived() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    String common = "User-Name = \"alice\", Acct-Session-Id = \"e2e-1\", NAS-IP-Address = 127.0.0.1";
    assertThat(Radclient.run(acct, "acct", SECRET, common + ", Acct-Status-Type = Start")
        .received("Accounting-Response")).isTrue();
    assertThat(Radclient.run(acct, "acct", SECRET, common + ", Acct-Status-Type = Interim-Update,"
        + " Acct-Input-Octets = 1000, Acct-Output-Octets = 4000, Acct-Input-Gigawords = 1, Acct-Session-Time = 300")
        .received("Accounting-Response")).isTrue();
    var stop = Radclient.run(acct, "acct", SECRET, common + ", Acct-Status-Type = Stop, Acct-Input-Octets = 2000,"
        + " Acct-Output-Octets = 8000, Acct-Input-Gigawords = 1, Acct-Session-Time = 400,"
        + " Acct-Terminate-Cause = User-Request");
    assertThat(stop.received("Accounting-Response")).as(stop.output()).isTrue();

    try (Database db = Database.open(Database.defaultUrl(dir.resolve("data")), 2);
        Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM acct_records WHERE session_id = 'e2e-1'");
          ResultSet r = p.executeQuery()) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(3);
      }
      try (PreparedStatement p = c.prepareStatement("SELECT input_octets, output_octets, stop_cause, nas FROM"
          + " acct_sessions WHERE session_id = 'e2e-1'"); ResultSet r = p.executeQuery()) {
        assertThat(r.next()).isTrue();
        assertThat(r.getLong(1)).isEqualTo((1L << 32) + 2000);
        assertThat(r.getLong(2)).isEqualTo(8000);
        assertThat(r.getString(3)).isEqualTo("User-Request");
        assertThat(r.getString(4)).isEqualTo("127.0.0.1");
      }
      try (PreparedStatement p = c.prepareStatement("SELECT SUM(input_octets + output_octets) FROM usage_periods"
          + " WHERE username = 'alice'"); ResultSet r = p.executeQuery()) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo((1L << 32) + 2000 + 8000);
      }
    }
  }
}
