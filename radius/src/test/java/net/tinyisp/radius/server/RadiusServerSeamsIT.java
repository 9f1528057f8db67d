package net.tinyisp.radius.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.radius.client.RadiusClient;
import net.tinyisp.radius.client.RadiusClientConfig;
import net.tinyisp.radius.client.RadiusTimeoutException;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.wire.Chap;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.MsChapV2;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import net.tinyisp.radius.wire.TunnelPassword;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seams as the subscriber store uses them: a backend that blocks (JDBC-like) runs on virtual threads without
 * stopping the receive loop; a sink without its own batching uses the default recordAsync; failures of either
 * leave the request unanswered (the NAS retries) and are counted. Driven by our own client over loopback.
 */
class RadiusServerSeamsIT {
  private static final String SECRET = "seams-secret";
  private static final AttributeCodec CODEC = new AttributeCodec(Dictionary.standard());

  private final AtomicBoolean backendDown = new AtomicBoolean();
  private final AtomicBoolean sinkDown = new AtomicBoolean();
  private final List<AccountingRecord> recorded = new CopyOnWriteArrayList<>();
  private Metrics metrics;
  private RadiusServer server;
  private RadiusClient auth;
  private RadiusClient acct;

  @BeforeEach
  void start() throws Exception {
    AuthBackend slowBackend = username -> { // mayBlock() keeps its default: true
      if (backendDown.get()) throw new IllegalStateException("database unavailable");
      try {
        Thread.sleep(50); // a slow query
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (username.equals("hashed")) {
        return Optional.of(new AuthAccount("hashed", true, null, "pw"::equals, List.of()));
      }
      if (username.equals("off")) return Optional.of(new AuthAccount("off", false, "pw", "pw"::equals, List.of()));
      if (!username.startsWith("user")) return Optional.empty();
      return Optional.of(AuthAccount.withCleartext(username, "pw", List.of(
          new ReplyItem("RP-Upstream-Speed-Limit", "5120"), new ReplyItem("Tunnel-Password:1", "tunnel-pw"))));
    };
    AccountingSink plainSink = r -> {
      if (sinkDown.get()) throw new java.io.IOException("disk full");
      recorded.add(r);
    };
    metrics = new Metrics();
    server = new RadiusServer(new RadiusServerConfig("127.0.0.1:0", "127.0.0.1:0",
        List.of(new RadiusServerConfig.Client("127.0.0.1", SECRET)), List.of(), null, null, null, 1),
        Dictionary.standard(), slowBackend, plainSink, metrics);
    server.start();
    auth = client(server.authAddress().getPort());
    acct = client(server.acctAddress().getPort());
  }

  private static RadiusClient client(int port) throws Exception {
    return new RadiusClient(RadiusClientConfig.of(List.of(RadiusClientConfig.Server.of("127.0.0.1:" + port, port,
        SECRET))).withTimeouts(Duration.ofMillis(1500), Duration.ofMillis(1500), 1));
  }

  @AfterEach
  void stop() {
    if (auth != null) auth.close();
    if (acct != null) acct.close();
    if (server != null) server.close();
  }

  private RadiusClient.Response pap(String user, String pw) throws Exception {
    return auth.send(new RadiusClient.Request(Code.ACCESS_REQUEST, List.of(
        new RawAttribute(StandardTypes.USER_NAME, user.getBytes(StandardCharsets.UTF_8))),
        pw.getBytes(StandardCharsets.UTF_8)));
  }

  private double counter(String name, String reason) {
    var c = metrics.registry().find(name).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void slowBackendServesManyRequestsConcurrently() throws Exception {
    long t0 = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<RadiusClient.Response>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        answers.add(pool.submit(() -> pap("user" + n, "pw")));
      }
      for (Future<RadiusClient.Response> f : answers) assertThat(f.get().code()).isEqualTo(Code.ACCESS_ACCEPT);
    }
    // 40 lookups of 50 ms each, one receive thread: only concurrent lookups finish well under 2 s
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void encryptedReplyItemsUseTheRequestAuthenticator() throws Exception {
    byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
    RadiusClient.Response r = pap("user1", "pw");
    RawAttribute tp = r.packet().first(69);
    byte[] v = tp.value();
    assertThat(v[0]).isEqualTo((byte) 1); // tag
    assertThat(v[1] & 0x80).isEqualTo(0x80); // RFC 2868 §3.5 salt
    assertThat(TunnelPassword.decrypt(java.util.Arrays.copyOfRange(v, 1, v.length), secret,
        r.requestAuthenticator())).isEqualTo("tunnel-pw".getBytes(StandardCharsets.UTF_8));
    assertThat(CODEC.decode(r.packet())).contains(new AttributeCodec.NamedValue("RP-Upstream-Speed-Limit", "5120"));
  }

  @Test
  void rejectsAreNamed() throws Exception {
    assertThat(pap("nobody", "pw").code()).isEqualTo(Code.ACCESS_REJECT);
    assertThat(pap("off", "pw").code()).isEqualTo(Code.ACCESS_REJECT);
    assertThat(pap("hashed", "pw").code()).isEqualTo(Code.ACCESS_ACCEPT); // PAP works with a hash
    byte[] challenge = new byte[16];
    RadiusClient.Response chap = auth.send(new RadiusClient.Request(Code.ACCESS_REQUEST, List.of(
        new RawAttribute(StandardTypes.USER_NAME, "hashed".getBytes(StandardCharsets.UTF_8)),
        new RawAttribute(StandardTypes.CHAP_CHALLENGE, challenge),
        new RawAttribute(StandardTypes.CHAP_PASSWORD, Chap.response(1, challenge, "pw")))));
    assertThat(chap.code()).isEqualTo(Code.ACCESS_REJECT);
    assertThat(counter("tinyisp_radius_rejects", "unknown_user")).isEqualTo(1);
    assertThat(counter("tinyisp_radius_rejects", "disabled")).isEqualTo(1);
    assertThat(counter("tinyisp_radius_rejects", "chap_needs_cleartext")).isEqualTo(1);
  }

  @Test
  void msChapV2AcceptsWithAuthenticatorResponse_andRejectsAWrongPassword() throws Exception {
    byte[] authChallenge = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    byte[] peerChallenge = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    for (String pw : List.of("pw", "wrong")) {
      byte[] nt = MsChapV2.ntResponse(authChallenge, peerChallenge, "user7", pw);
      RadiusClient.Response r = auth.send(new RadiusClient.Request(Code.ACCESS_REQUEST, List.of(
          CODEC.encode("User-Name", "user7"),
          CODEC.encode("MS-CHAP-Challenge", "0x" + java.util.HexFormat.of().formatHex(authChallenge)),
          CODEC.encode("MS-CHAP2-Response", "0x" + java.util.HexFormat.of().formatHex(
              MsChapV2.response(3, peerChallenge, nt))))));
      if (pw.equals("pw")) {
        assertThat(r.code()).isEqualTo(Code.ACCESS_ACCEPT);
        String s = "0x03" + java.util.HexFormat.of().formatHex(MsChapV2.authenticatorResponse("pw", nt,
            peerChallenge, authChallenge, "user7").getBytes(StandardCharsets.US_ASCII));
        assertThat(CODEC.decode(r.packet())).contains(new AttributeCodec.NamedValue("MS-CHAP2-Success", s));
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        assertThat(TunnelPassword.decrypt(net.tinyisp.radius.wire.VendorAttributes.find(r.packet(), 311, 16), secret,
            r.requestAuthenticator())).isEqualTo(MsChapV2.mppeKeys("pw", nt).sendKey());
      } else {
        assertThat(r.code()).isEqualTo(Code.ACCESS_REJECT);
      }
    }
  }

  @Test
  void backendAndSinkFailuresAreNotAnsweredButCounted() throws Exception {
    backendDown.set(true);
    assertThatThrownBy(() -> pap("user1", "pw")).isInstanceOf(RadiusTimeoutException.class);
    assertThat(counter("tinyisp_radius_drops", "backend_failed")).isGreaterThanOrEqualTo(1);
    backendDown.set(false);
    assertThat(pap("user1", "pw").code()).isEqualTo(Code.ACCESS_ACCEPT); // a retry after recovery is processed

    RadiusClient.Request start = new RadiusClient.Request(Code.ACCOUNTING_REQUEST, List.of(
        CODEC.encode("Acct-Status-Type", "Start"), CODEC.encode("Acct-Session-Id", "seam-1")));
    sinkDown.set(true);
    assertThatThrownBy(() -> acct.send(start)).isInstanceOf(RadiusTimeoutException.class);
    assertThat(counter("tinyisp_radius_drops", "sink_failed")).isGreaterThanOrEqualTo(1);
    sinkDown.set(false);
    assertThat(acct.send(start).code()).isEqualTo(Code.ACCOUNTING_RESPONSE);
    assertThat(recorded).extracting(AccountingRecord::statusType).containsExactly("Start");
    assertThat(recorded.get(0).first("Acct-Session-Id")).isEqualTo("seam-1");
    assertThat(recorded.get(0).nasAddress()).isEqualTo("127.0.0.1");
  }
}
