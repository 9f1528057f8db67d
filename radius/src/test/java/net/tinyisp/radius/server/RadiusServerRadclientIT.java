package net.tinyisp.radius.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.wire.Authenticators;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import net.tinyisp.radius.wire.UserPassword;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server against Debian's radclient, and against a scripted peer built from our codec where radclient can't. */
class RadiusServerRadclientIT {
  private static final String SECRET = "testing123";
  private static final String USERS = """
      # the blog's reply items, in kbit/s and seconds
      user0001  Cleartext-Password := "pass0001"
                RP-Upstream-Speed-Limit = 5120,
                RP-Downstream-Speed-Limit = 10240,
                Acct-Interim-Interval = 300
      user0002  Cleartext-Password := "pass0002"
                Framed-IPv6-Prefix = 2001:db8:2::/64,
                Delegated-IPv6-Prefix = 2001:db8:200::/48
      locked    Cleartext-Password := "pw", Auth-Type := Reject
      """;

  @TempDir static Path dir;
  static Metrics metrics;
  static RadiusServer server;
  static AppendOnlyFileSink sink;
  static String auth;
  static String acct;

  @BeforeAll
  static void start() throws Exception {
    Path users = dir.resolve("users");
    Files.writeString(users, USERS);
    metrics = new Metrics();
    sink = new AppendOnlyFileSink(dir.resolve("acct/detail.jsonl"));
    RadiusServerConfig cfg = new RadiusServerConfig("127.0.0.1:0", "127.0.0.1:0",
        List.of(new RadiusServerConfig.Client("127.0.0.1", SECRET)), List.of(), null, null, null, null);
    server = new RadiusServer(cfg, Dictionary.standard(), UsersFileBackend.load(users, Dictionary.standard()), sink,
        metrics);
    server.start();
    auth = "127.0.0.1:" + server.authAddress().getPort();
    acct = "127.0.0.1:" + server.acctAddress().getPort();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (sink != null) sink.close();
  }

  private static double drops(String reason) {
    var c = metrics.registry().find("tinyisp_radius_drops").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void papAcceptCarriesTheBlogReplyItems() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    var r = Radclient.run(auth, "auth", SECRET,
        "User-Name = \"user0001\", User-Password = \"pass0001\", Message-Authenticator = 0x00");
    assertThat(r.output()).contains("Received Access-Accept")
        .contains("RP-Upstream-Speed-Limit = 5120")
        .contains("RP-Downstream-Speed-Limit = 10240")
        .contains("Acct-Interim-Interval = 300")
        .contains("Message-Authenticator = 0x");
    assertThat(r.exit()).isZero();
  }

  @Test
  void chapAcceptWithIpv6Items() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    var r = Radclient.run(auth, "auth", SECRET,
        "User-Name = \"user0002\", CHAP-Password = \"pass0002\", Message-Authenticator = 0x00");
    assertThat(r.output()).contains("Received Access-Accept")
        .contains("Framed-IPv6-Prefix = 2001:db8:2::/64")
        .contains("Delegated-IPv6-Prefix = 2001:db8:200::/48");
    var bad = Radclient.run(auth, "auth", SECRET,
        "User-Name = \"user0002\", CHAP-Password = \"wrong\", Message-Authenticator = 0x00");
    assertThat(bad.output()).contains("Received Access-Reject");
  }

  @Test
  void wrongPasswordUnknownUserAndDisabledAreRejected() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    for (String attrs : List.of("User-Name = \"user0001\", User-Password = \"nope\"",
        "User-Name = \"nobody\", User-Password = \"pass0001\"",
        "User-Name = \"locked\", User-Password = \"pw\"")) {
      var r = Radclient.run(auth, "auth", SECRET, attrs + ", Message-Authenticator = 0x00");
      assertThat(r.output()).as(attrs).contains("Received Access-Reject").contains("Message-Authenticator = 0x");
    }
  }

  @Test
  void wrongSecretAndMissingMessageAuthenticatorAreDroppedAndCounted() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    double badMa = drops("bad_message_authenticator");
    double missing = drops("missing_message_authenticator");
    var wrongSecret = Radclient.run(auth, "auth", "not-the-secret",
        "User-Name = \"user0001\", User-Password = \"pass0001\", Message-Authenticator = 0x00");
    assertThat(wrongSecret.output()).doesNotContain("Received");
    assertThat(drops("bad_message_authenticator")).isGreaterThan(badMa);
    var noMa = Radclient.run(auth, "auth", SECRET, "User-Name = \"user0001\", User-Password = \"pass0001\"");
    assertThat(noMa.output()).doesNotContain("Received");
    assertThat(drops("missing_message_authenticator")).isGreaterThan(missing);
    double badAcct = drops("bad_request_authenticator");
    var acctWrong = Radclient.run(acct, "acct", "not-the-secret",
        "Acct-Status-Type = Start, Acct-Session-Id = \"wrong-secret\", User-Name = \"user0001\"");
    assertThat(acctWrong.output()).doesNotContain("Received");
    assertThat(drops("bad_request_authenticator")).isGreaterThan(badAcct);
  }

  @Test
  void accountingStartInterimStopAnsweredAndStored() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    for (String status : List.of("Start", "Interim-Update", "Stop")) {
      var r = Radclient.run(acct, "acct", SECRET, "Acct-Status-Type = " + status
          + ", Acct-Session-Id = \"sess-1\", User-Name = \"user0001\", Acct-Input-Octets = 1000,"
          + " Acct-Input-Gigawords = 2, Framed-IPv6-Prefix = 2001:db8:2::/64");
      assertThat(r.output()).as(status).contains("Received Accounting-Response");
    }
    List<AccountingRecord> stored = AppendOnlyFileSink.read(sink.path()).stream()
        .filter(x -> "sess-1".equals(x.first("Acct-Session-Id"))).toList();
    assertThat(stored).extracting(AccountingRecord::statusType).containsExactly("Start", "Interim-Update", "Stop");
    assertThat(stored.get(2).first("Acct-Input-Gigawords")).isEqualTo("2");
    assertThat(stored.get(2).first("Framed-IPv6-Prefix")).isEqualTo("2001:db8:2::/64");
    assertThat(stored.get(2).nasAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void radtestPapAndChap() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/radtest")), "radtest (freeradius-utils) not installed");
    for (String type : List.of("pap", "chap")) {
      Process p = new ProcessBuilder("/usr/bin/radtest", "-t", type, "user0001", "pass0001", auth, "0", SECRET, "0",
          "127.0.0.1").redirectErrorStream(true).start();
      try {
        assertThat(p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as(type).contains("Received Access-Accept").contains("RP-Upstream-Speed-Limit = 5120");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  /** The per-client override for an old NAS: no Message-Authenticator needed, but replies still carry one. */
  @Test
  void oldNasOverrideAcceptsRequestsWithoutMessageAuthenticator() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    RadiusServerConfig cfg = new RadiusServerConfig("127.0.0.1:0", "", List.of(
        new RadiusServerConfig.Client("127.0.0.0/8", "old-nas-secret", false, "old-nas")), List.of(), null, null,
        null, 1);
    try (RadiusServer old = new RadiusServer(cfg, Dictionary.standard(),
        UsersFileBackend.load(dir.resolve("users"), Dictionary.standard()), sink, new Metrics())) {
      old.start();
      var r = Radclient.run("127.0.0.1:" + old.authAddress().getPort(), "auth", "old-nas-secret",
          "User-Name = \"user0001\", User-Password = \"pass0001\"");
      assertThat(r.output()).contains("Received Access-Accept").contains("Message-Authenticator = 0x");
    }
  }

  @Test
  void statusServerAnsweredOnBothPorts() throws Exception {
    assumeTrue(Radclient.available(), "radclient (freeradius-utils) not installed");
    assertThat(Radclient.run(auth, "status", SECRET, "Message-Authenticator = 0x00").output())
        .contains("Received Access-Accept");
    assertThat(Radclient.run(acct, "status", SECRET, "Message-Authenticator = 0x00").output())
        .contains("Received Accounting-Response");
  }

  @Test
  void duplicatesGetTheSameBytes_andEveryReplyHasAValidMessageAuthenticator() throws Exception {
    byte[] authenticator = new byte[16];
    new SecureRandom().nextBytes(authenticator);
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    RadiusPacket req = new RadiusPacket(Code.ACCESS_REQUEST, 77, authenticator, List.of(
        new RawAttribute(StandardTypes.USER_NAME, "user0001".getBytes(StandardCharsets.UTF_8)),
        new RawAttribute(StandardTypes.USER_PASSWORD, UserPassword.hide("pass0001".getBytes(), secret,
            authenticator))));
    byte[] wire = Authenticators.encodeRequest(req, secret, true);
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      s.setSoTimeout(3000);
      byte[] first = exchange(s, wire, server.authAddress());
      byte[] second = exchange(s, wire, server.authAddress());
      assertThat(second).isEqualTo(first);
      assertThat(first[0]).isEqualTo((byte) Code.ACCESS_ACCEPT.value());
      assertThat(first[20]).isEqualTo((byte) StandardTypes.MESSAGE_AUTHENTICATOR);
      assertThat(Authenticators.checkResponseMessageAuthenticator(first, first.length, authenticator, secret))
          .isEqualTo(Authenticators.Check.VALID);
      assertThat(Authenticators.verifyResponseAuthenticator(first, first.length, authenticator, secret)).isTrue();

      // accounting: a retransmission is answered identically and recorded once
      RadiusPacket acctReq = new RadiusPacket(Code.ACCOUNTING_REQUEST, 78, new byte[16], List.of(
          new RawAttribute(StandardTypes.ACCT_STATUS_TYPE, new byte[] {0, 0, 0, 1}),
          new RawAttribute(StandardTypes.ACCT_SESSION_ID, "dup-session".getBytes(StandardCharsets.UTF_8))));
      byte[] acctWire = Authenticators.encodeRequest(acctReq, secret, false);
      byte[] a1 = exchange(s, acctWire, server.acctAddress());
      byte[] a2 = exchange(s, acctWire, server.acctAddress());
      assertThat(a2).isEqualTo(a1);
      byte[] acctAuth = Arrays.copyOfRange(acctWire, 4, 20);
      assertThat(Authenticators.checkResponseMessageAuthenticator(a1, a1.length, acctAuth, secret))
          .isEqualTo(Authenticators.Check.VALID);
      assertThat(AppendOnlyFileSink.read(sink.path()).stream()
          .filter(x -> "dup-session".equals(x.first("Acct-Session-Id")))).hasSize(1);
    }
    assertThat(metrics.registry().find("tinyisp_radius_duplicates_answered").counter().count())
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void malformedDatagramsAreIgnoredWhileServing() throws Exception {
    double before = drops("malformed");
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      byte[][] junk = {new byte[0], new byte[5], {1, 2, 0, 19, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
          {1, 2, 0, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
          {1, 2, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9, 0, 0}};
      for (int i = 0; i < 50; i++) {
        for (byte[] j : junk) s.send(new DatagramPacket(j, j.length, server.authAddress()));
      }
    }
    if (Radclient.available()) {
      var r = Radclient.run(auth, "auth", SECRET,
          "User-Name = \"user0001\", User-Password = \"pass0001\", Message-Authenticator = 0x00");
      assertThat(r.output()).contains("Received Access-Accept");
    }
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (drops("malformed") < before + 200 && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(drops("malformed")).isGreaterThanOrEqualTo(before + 200);
    assertThat(server.health().healthy()).isTrue();
  }

  private static byte[] exchange(DatagramSocket s, byte[] wire, InetSocketAddress to) throws Exception {
    s.send(new DatagramPacket(wire, wire.length, to));
    DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
    s.receive(in);
    return Arrays.copyOf(in.getData(), in.getLength());
  }
}
