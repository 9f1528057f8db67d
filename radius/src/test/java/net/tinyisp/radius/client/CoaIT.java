package net.tinyisp.radius.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.NasClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 5176: our CoA/Disconnect sender against our NAS listener, and radclient against the listener. */
class CoaIT {
  static final AttributeCodec CODEC = new AttributeCodec(Dictionary.standard());
  static final List<CoaListener.DynamicAuthorizationRequest> seen = new CopyOnWriteArrayList<>();
  static CoaListener listener;

  @BeforeAll
  static void start() throws Exception {
    listener = new CoaListener(HostPort.parse("127.0.0.1:0", 0), List.of(NasClient.of("127.0.0.1", "coa-secret")),
        Dictionary.standard(), req -> {
          seen.add(req);
          // a NAS knows session "s-1" only
          return "s-1".equals(req.first("Acct-Session-Id")) ? CoaListener.Decision.ack()
              : CoaListener.Decision.nak(503); // Session-Context-Not-Found
        });
    listener.start();
  }

  @AfterAll
  static void stop() {
    if (listener != null) listener.close();
  }

  private static DynamicAuthorizationSender sender(String secret) throws Exception {
    RadiusClientConfig cfg = RadiusClientConfig.of(List.of(RadiusClientConfig.Server.of(
        "127.0.0.1:" + listener.address().getPort(), CoaListener.DEFAULT_PORT, secret)))
        .withTimeouts(java.time.Duration.ofMillis(300), java.time.Duration.ofMillis(300), 2);
    return new DynamicAuthorizationSender(new RadiusClient(cfg));
  }

  @Test
  void coaWithNewSpeedsIsAcknowledged_andUnknownSessionNakedWithErrorCause() throws Exception {
    DynamicAuthorizationSender s = sender("coa-secret");
    var ack = s.coa(List.of(CODEC.encode("User-Name", "user0001"), CODEC.encode("Acct-Session-Id", "s-1"),
        CODEC.encode("RP-Upstream-Speed-Limit", "2048"), CODEC.encode("RP-Downstream-Speed-Limit", "4096")));
    assertThat(ack.acknowledged()).isTrue();
    assertThat(seen).anySatisfy(r -> assertThat(r.first("RP-Downstream-Speed-Limit")).isEqualTo("4096"));
    var nak = s.disconnect(List.of(CODEC.encode("User-Name", "user0001"), CODEC.encode("Acct-Session-Id", "gone")));
    assertThat(nak.acknowledged()).isFalse();
    assertThat(nak.errorCause()).isEqualTo(503);
  }

  @Test
  void wrongSecretIsDropped() throws Exception {
    long before = listener.dropped();
    DynamicAuthorizationSender s = sender("wrong-secret");
    try {
      s.coa(List.of(CODEC.encode("Acct-Session-Id", "s-1")));
    } catch (RadiusTimeoutException expected) {
      // no answer is the point
    }
    assertThat(listener.dropped()).isGreaterThan(before);
  }

  @Test
  void radclientCoaAndDisconnectGetVerifiedAnswers() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/radclient")), "radclient (freeradius-utils) not installed");
    String at = "127.0.0.1:" + listener.address().getPort();
    String coa = radclient(at, "coa", "Acct-Session-Id = \"s-1\", RP-Upstream-Speed-Limit = 1024,"
        + " Message-Authenticator = 0x00");
    assertThat(coa).contains("Received CoA-ACK");
    String disc = radclient(at, "disconnect", "Acct-Session-Id = \"nope\", Message-Authenticator = 0x00");
    assertThat(disc).contains("Received Disconnect-NAK").contains("Error-Cause = Session-Context-Not-Found");
  }

  private static String radclient(String at, String cmd, String attrs) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/radclient", "-x", "-t", "1", "-r", "1", at, cmd, "coa-secret")
        .redirectErrorStream(true).start();
    try {
      p.getOutputStream().write((attrs + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      p.waitFor(15, TimeUnit.SECONDS);
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }
}
