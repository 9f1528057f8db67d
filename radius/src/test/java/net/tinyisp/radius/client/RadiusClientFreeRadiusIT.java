package net.tinyisp.radius.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;
import java.util.HexFormat;
import net.tinyisp.radius.wire.Chap;
import net.tinyisp.radius.wire.MsChapV2;
import net.tinyisp.radius.wire.TunnelPassword;
import net.tinyisp.radius.wire.VendorAttributes;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tinyisp's RADIUS client against a real FreeRADIUS 3.2 started from a private config directory. */
class RadiusClientFreeRadiusIT {
  @TempDir static Path dir;
  static FreeRadiusPeer peer;
  static final AttributeCodec CODEC = new AttributeCodec(Dictionary.standard());

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(FreeRadiusPeer.available(), "freeradius not installed (apt-get install freeradius)");
    peer = new FreeRadiusPeer(dir, """
        user0001 Cleartext-Password := "pass0001"
                 RP-Upstream-Speed-Limit = 5120,
                 RP-Downstream-Speed-Limit = 10240,
                 Acct-Interim-Interval = 300
        """);
  }

  @AfterAll
  static void stop() {
    if (peer != null) peer.close();
  }

  private static RadiusClientConfig.Server live() {
    return RadiusClientConfig.Server.of("127.0.0.1:" + peer.authPort, 1812, "testing123");
  }

  private static RadiusClient.Request pap(String user, String password) {
    return new RadiusClient.Request(Code.ACCESS_REQUEST,
        List.of(new RawAttribute(StandardTypes.USER_NAME, user.getBytes(StandardCharsets.UTF_8)),
            CODEC.encode("NAS-Identifier", "tinyisp-test")), password.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void papAcceptAndRejectWithVerifiedAuthenticators() throws Exception {
    try (RadiusClient c = new RadiusClient(RadiusClientConfig.of(List.of(live())))) {
      RadiusClient.Response ok = c.send(pap("user0001", "pass0001"));
      assertThat(ok.code()).isEqualTo(Code.ACCESS_ACCEPT);
      assertThat(CODEC.decode(ok.packet())).contains(
          new AttributeCodec.NamedValue("RP-Upstream-Speed-Limit", "5120"),
          new AttributeCodec.NamedValue("RP-Downstream-Speed-Limit", "10240"),
          new AttributeCodec.NamedValue("Acct-Interim-Interval", "300"));
      assertThat(c.send(pap("user0001", "wrong")).code()).isEqualTo(Code.ACCESS_REJECT);
    }
  }

  @Test
  void chapAccept() throws Exception {
    byte[] challenge = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    RadiusClient.Request chap = new RadiusClient.Request(Code.ACCESS_REQUEST, List.of(
        new RawAttribute(StandardTypes.USER_NAME, "user0001".getBytes(StandardCharsets.UTF_8)),
        new RawAttribute(StandardTypes.CHAP_CHALLENGE, challenge),
        new RawAttribute(StandardTypes.CHAP_PASSWORD, Chap.response(7, challenge, "pass0001"))));
    try (RadiusClient c = new RadiusClient(RadiusClientConfig.of(List.of(live())))) {
      assertThat(c.send(chap).code()).isEqualTo(Code.ACCESS_ACCEPT);
    }
  }

  /** Our MS-CHAPv2 peer side against FreeRADIUS's rlm_mschap: its MS-CHAP2-Success is the one we compute. */
  @Test
  void msChapV2AcceptCarriesTheAuthenticatorResponseWeExpect() throws Exception {
    byte[] authChallenge = "tinyisp-chal-16b".getBytes(StandardCharsets.US_ASCII);
    byte[] peerChallenge = "peer-challenge16".getBytes(StandardCharsets.US_ASCII);
    byte[] nt = MsChapV2.ntResponse(authChallenge, peerChallenge, "user0001", "pass0001");
    RadiusClient.Request req = new RadiusClient.Request(Code.ACCESS_REQUEST, List.of(
        CODEC.encode("User-Name", "user0001"),
        CODEC.encode("MS-CHAP-Challenge", "0x" + HexFormat.of().formatHex(authChallenge)),
        CODEC.encode("MS-CHAP2-Response", "0x" + HexFormat.of().formatHex(MsChapV2.response(9, peerChallenge, nt)))));
    try (RadiusClient c = new RadiusClient(RadiusClientConfig.of(List.of(live())))) {
      RadiusClient.Response r = c.send(req);
      assertThat(r.code()).isEqualTo(Code.ACCESS_ACCEPT);
      String expected = "0x09" + HexFormat.of().formatHex(MsChapV2.authenticatorResponse("pass0001", nt,
          peerChallenge, authChallenge, "user0001").getBytes(StandardCharsets.US_ASCII));
      assertThat(CODEC.decode(r.packet())).contains(new AttributeCodec.NamedValue("MS-CHAP2-Success", expected));
      // FreeRADIUS's MPPE keys are the ones RFC 3079 gives us
      MsChapV2.MppeKeys keys = MsChapV2.mppeKeys("pass0001", nt);
      byte[] secret = "testing123".getBytes(StandardCharsets.UTF_8);
      assertThat(TunnelPassword.decrypt(microsoft(r, 16), secret, r.requestAuthenticator())).isEqualTo(keys.sendKey());
      assertThat(TunnelPassword.decrypt(microsoft(r, 17), secret, r.requestAuthenticator()))
          .isEqualTo(keys.receiveKey());
    }
  }

  private static byte[] microsoft(RadiusClient.Response r, int type) {
    return VendorAttributes.find(r.packet(), 311, type);
  }

  /** More requests in flight than one socket has Identifiers (256, RFC 2865 §3): the rest wait their turn. */
  @Test
  void moreThan256ConcurrentRequestsAreAllAnswered() throws Exception {
    try (RadiusClient c = new RadiusClient(RadiusClientConfig.of(List.of(live())));
         var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<Code>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 1000; i++) answers.add(pool.submit(() -> c.send(pap("user0001", "pass0001")).code()));
      for (var a : answers) assertThat(a.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Code.ACCESS_ACCEPT);
    }
  }

  @Test
  void accountingIsAnsweredAndWrittenToFreeradiusDetail() throws Exception {
    try (RadiusClient c = new RadiusClient(RadiusClientConfig.of(List.of(
        RadiusClientConfig.Server.of("127.0.0.1:" + (peer.authPort + 1), 1813, "testing123"))))) {
      RadiusClient.Response r = c.send(new RadiusClient.Request(Code.ACCOUNTING_REQUEST, List.of(
          CODEC.encode("Acct-Status-Type", "Start"), CODEC.encode("User-Name", "user0001"),
          CODEC.encode("Acct-Session-Id", "tinyisp-acct-1"), CODEC.encode("Acct-Input-Gigawords", "3"))));
      assertThat(r.code()).isEqualTo(Code.ACCOUNTING_RESPONSE);
    }
    assertThat(peer.detail()).contains("Acct-Session-Id = \"tinyisp-acct-1\"").contains("Acct-Input-Gigawords = 3");
  }

  @Test
  void failsOverFromADeadServer() throws Exception {
    int dead = FreeRadiusPeer.freeUdpPort();
    RadiusClientConfig cfg = RadiusClientConfig.of(List.of(
        RadiusClientConfig.Server.of("127.0.0.1:" + dead, 1812, "testing123"), live()))
        .withTimeouts(Duration.ofMillis(200), Duration.ofMillis(400), 2);
    try (RadiusClient c = new RadiusClient(cfg)) {
      RadiusClient.Response r = c.send(pap("user0001", "pass0001"));
      assertThat(r.code()).isEqualTo(Code.ACCESS_ACCEPT);
      assertThat(r.server().address().port()).isEqualTo(peer.authPort);
      long t0 = System.nanoTime();
      assertThat(c.send(pap("user0001", "pass0001")).code()).isEqualTo(Code.ACCESS_ACCEPT);
      // the dead server is held down: the second request goes straight to the live one
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
    }
  }

  @Test
  void wrongSecretTimesOut() throws Exception {
    RadiusClientConfig cfg = RadiusClientConfig.of(List.of(
        RadiusClientConfig.Server.of("127.0.0.1:" + peer.authPort, 1812, "not-the-secret")))
        .withTimeouts(Duration.ofMillis(200), Duration.ofMillis(200), 2);
    try (RadiusClient c = new RadiusClient(cfg)) {
      // FreeRADIUS drops the request (bad Message-Authenticator); we never accept an answer we cannot verify
      assertThatThrownBy(() -> c.send(pap("user0001", "pass0001"))).isInstanceOf(RadiusTimeoutException.class);
    }
  }
}
