package net.tinyisp.dns.encrypted;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.Dns64Service;
import net.tinyisp.dns.config.Dns64Config;
import net.tinyisp.dns.tls.CertificateFiles;
import net.tinyisp.dns.tls.EncryptedDnsConfig;
import net.tinyisp.dns.tls.EncryptedDnsService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real DNS64 resolver (in front of nsd serving dns64.test) behind every encrypted transport: each client
 * asks the AAAA of the IPv4-only {@code a-only.dns64.test} (A 198.51.100.10) and gets 64:ff9b::c633:640a.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Dns64TransportsIT {
  static final String NAME = "a-only.dns64.test";
  static final String SYNTH = "64:ff9b::c633:640a";

  PeerProcesses nsd;
  Dns64Service dns64;
  EncryptedDnsService encrypted;
  CertificateFiles cert;
  int dot;
  int doh;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Peer.require("nsd");
    nsd = PeerProcesses.nsd(dir.resolve("nsd"));
    dns64 = new Dns64Service(Dns64Config.fromFlags(List.of("127.0.0.1:0"), List.of("127.0.0.1:" + nsd.port), null,
        null, null, null, null, false, null), new Metrics());
    dns64.start();
    cert = TestTls.certificate(dir.resolve("tls"));
    encrypted = new EncryptedDnsService(EncryptedDnsConfig.of(List.of("127.0.0.1:0"), List.of("127.0.0.1:0"),
        null, cert.cert().toString(), cert.key().toString(), null, dir.toString()), dns64.queryHandler(),
        new Metrics());
    encrypted.start();
    dot = encrypted.dotAddresses().getFirst().getPort();
    doh = encrypted.dohAddresses().getFirst().getPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (encrypted != null) encrypted.close();
    if (dns64 != null) dns64.close();
    if (nsd != null) nsd.close();
  }

  @Test
  void kdigOverTls() throws Exception {
    Peer.Result r = Peer.run(20, "kdig", "@127.0.0.1", "-p", Integer.toString(dot), "+tls-ca=" + cert.cert(),
        "+tls-hostname=localhost", "AAAA", NAME);
    assertThat(r.out()).as(r.err()).contains("TLS session").contains(SYNTH);
  }

  @Test
  void kdigOverHttpsPostAndGet() throws Exception {
    for (String mode : List.of("+https", "+https-get")) {
      Peer.Result r = Peer.run(20, "kdig", "@127.0.0.1", "-p", Integer.toString(doh), mode, "+tls-ca=" + cert.cert(),
          "+tls-hostname=localhost", "AAAA", NAME);
      assertThat(r.out()).as(mode + r.err()).contains("HTTP session (HTTP/2").contains(SYNTH);
    }
  }

  @Test
  void curlHttp11AndJson() throws Exception {
    byte[] q = DotServerIT.query(NAME + ".", 0, false, false);
    Path out = Path.of(cert.cert().getParent().toString(), "answer.bin");
    Peer.Result r = Peer.run(20, "curl", "-4", "-s", "--http1.1", "--cacert", cert.cert().toString(), "--resolve",
        "localhost:" + doh + ":127.0.0.1", "-o", out.toString(), "-w", "%{http_code} %{http_version}",
        "https://localhost:" + doh + "/dns-query?dns=" + DohServerIT.b64(q));
    assertThat(r.out()).isEqualTo("200 1.1");
    assertThat(new org.xbill.DNS.Message(java.nio.file.Files.readAllBytes(out)).getSection(1).getFirst()
        .rdataToString()).isEqualTo("64:ff9b:0:0:0:0:c633:640a");
    Peer.Result json = Peer.run(20, "curl", "-4", "-s", "--cacert", cert.cert().toString(), "--resolve",
        "localhost:" + doh + ":127.0.0.1", "https://localhost:" + doh + "/resolve?name=" + NAME + "&type=AAAA");
    JsonNode j = new ObjectMapper().readTree(json.out());
    assertThat(j.get("Answer").get(0).get("data").asText()).isEqualTo(SYNTH);
  }

  @Test
  void curlDohUrl() throws Exception {
    Peer.Result r = Peer.run(20, "curl", "-6", "-v", "--connect-timeout", "1", "--max-time", "5", "--doh-url",
        "https://localhost:" + doh + "/dns-query", "--cacert", cert.cert().toString(), "--resolve",
        "localhost:" + doh + ":127.0.0.1", "http://" + NAME + ":9/");
    assertThat(r.err()).contains(SYNTH);
  }
}
