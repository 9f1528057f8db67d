package net.tinyisp.dns.encrypted;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.doh.ProxyV2Header;
import net.tinyisp.dns.server.Transport;
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
 * DoH (RFC 8484) and the JSON API against kdig (+https POST and GET), curl (--doh-url, HTTP/2, HTTP/1.1) and raw
 * sockets for the malformed cases, with a certificate generated in the test. The plain listener trusts 127.0.0.1
 * as its proxy; 127.0.0.2 is an untrusted peer on the same listener.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DohServerIT {
  Path dir;
  FixedZoneHandler handler = new FixedZoneHandler();
  EncryptedDnsService service;
  CertificateFiles cert;
  int port;
  int plainPort;
  String base;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    dir = tmp;
    cert = TestTls.certificate(dir.resolve("le"));
    service = new EncryptedDnsService(new EncryptedDnsConfig(null, List.of("127.0.0.1:0"), List.of("0.0.0.0:0"),
        cert.cert().toString(), cert.key().toString(), null, List.of("127.0.0.1/32"), 2, 64, 16, 3600,
        dir.toString()), handler, new Metrics());
    service.start();
    port = service.dohAddresses().getFirst().getPort();
    plainPort = service.dohPlainAddresses().getFirst().getPort();
    base = "https://localhost:" + port;
  }

  @AfterAll
  void stop() {
    service.close();
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  byte[] aaaaQuery() throws IOException {
    return DotServerIT.query(FixedZoneHandler.NAME, 0, false, false);
  }

  Peer.Result curl(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-4", "-s", "--cacert", cert.cert().toString(),
        "--resolve", "localhost:" + port + ":127.0.0.1", "--max-time", "10"));
    cmd.addAll(List.of(args));
    return Peer.run(20, cmd.toArray(String[]::new));
  }

  @Test
  void kdigHttpsPostAndGetReturnTheSynthesizedAaaa() throws Exception {
    for (String mode : List.of("+https", "+https-get")) {
      Peer.Result r = Peer.run(20, "kdig", "@127.0.0.1", "-p", Integer.toString(port), mode,
          "+tls-ca=" + cert.cert(), "+tls-hostname=localhost", "AAAA", FixedZoneHandler.NAME);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).as(mode).contains("HTTP session (HTTP/2").contains(FixedZoneHandler.SYNTHESIZED)
          .contains(mode.equals("+https") ? "-POST" : "-GET");
      assertThat(handler.lastContext.get().transport()).isEqualTo(Transport.DOH);
    }
  }

  @Test
  void curlResolvesThroughDohUrl() throws Exception {
    // curl asks A (and AAAA) over DoH and then tries to connect to what it learned
    Peer.Result r = Peer.run(20, "curl", "-4", "-v", "--connect-timeout", "1", "--max-time", "5", "--doh-url",
        base + "/dns-query", "--cacert", cert.cert().toString(), "--resolve", "localhost:" + port + ":127.0.0.1",
        "http://ipv4only.lab.test:9/");
    assertThat(r.err()).contains("198.51.100.10");
  }

  @Test
  void http11GetAndPostCarryContentLengthAndCacheControl() throws Exception {
    Peer.Result get = curl("--http1.1", "-D", "-", "-o", "/dev/null",
        base + "/dns-query?dns=" + b64(aaaaQuery()));
    assertThat(get.out()).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: application/dns-message")
        .containsIgnoringCase("cache-control: max-age=300").containsIgnoringCase("content-length: ");
    Path body = dir.resolve("q.bin");
    Files.write(body, aaaaQuery());
    Peer.Result post = curl("--http1.1", "-D", "-", "-o", dir.resolve("a.bin").toString(), "-H",
        "content-type: application/dns-message", "--data-binary", "@" + body, base + "/dns-query");
    assertThat(post.out()).startsWith("HTTP/1.1 200").containsIgnoringCase("cache-control: max-age=300");
    assertThat(new org.xbill.DNS.Message(Files.readAllBytes(dir.resolve("a.bin"))).getSection(org.xbill.DNS.Section.ANSWER)
        .getFirst().rdataToString()).isEqualTo("64:ff9b:0:0:0:0:c633:640a");
  }

  @Test
  void olderCtFormIsAccepted() throws Exception {
    Peer.Result r = curl("--http2", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
        base + "/dns-query?ct=application/dns-message&dns=" + b64(aaaaQuery()));
    assertThat(r.out()).isEqualTo("200 2");
  }

  @Test
  void wrongRequestsGetTheirStatusOverHttp2AndHttp11() throws Exception {
    Path big = dir.resolve("big.bin");
    Files.write(big, new byte[70_000]);
    Path text = dir.resolve("t.txt");
    Files.writeString(text, "hello");
    Path truncated = dir.resolve("trunc.bin");
    byte[] q = aaaaQuery();
    Files.write(truncated, java.util.Arrays.copyOf(q, q.length - 3));
    for (String version : List.of("--http2", "--http1.1")) {
      assertThat(status(version, base + "/dns-query?dns=!!notbase64!!")).as(version).isEqualTo("400");
      assertThat(status(version, base + "/dns-query?dns=" + b64(java.util.Arrays.copyOf(q, q.length - 3))))
          .isEqualTo("400");
      assertThat(status(version, base + "/dns-query")).isEqualTo("400");
      assertThat(status(version, base + "/dns-query?ct=text/plain&dns=" + b64(q))).isEqualTo("415");
      assertThat(status(version, "-H", "content-type: text/plain", "--data-binary", "@" + text,
          base + "/dns-query")).isEqualTo("415");
      assertThat(status(version, "-H", "content-type: application/dns-message", "--data-binary", "@" + truncated,
          base + "/dns-query")).isEqualTo("400");
      assertThat(status(version, "-H", "content-type: application/dns-message", "--data-binary", "@" + big,
          base + "/dns-query")).isEqualTo("413");
      assertThat(status(version, "-X", "PUT", base + "/dns-query")).isEqualTo("405");
      assertThat(status(version, "-X", "DELETE", base + "/dns-query")).isEqualTo("405");
      assertThat(status(version, base + "/elsewhere")).isEqualTo("404");
    }
    // and the server still answers afterwards
    assertThat(status("--http2", base + "/dns-query?dns=" + b64(q))).isEqualTo("200");
  }

  private String status(String version, String... args) throws Exception {
    String[] all = new String[args.length + 5];
    all[0] = version;
    all[1] = "-o";
    all[2] = "/dev/null";
    all[3] = "-w";
    all[4] = "%{http_code}";
    System.arraycopy(args, 0, all, 5, args.length);
    return curl(all).out();
  }

  @Test
  void http2AdvertisesTheConcurrentStreamLimit() throws Exception {
    // nghttp -v prints the server's SETTINGS frame (curl 7.88 does not)
    Peer.Result r = Peer.run(20, "nghttp", "-nv", "https://127.0.0.1:" + port + "/dns-query?dns=" + b64(aaaaQuery()));
    assertThat(r.out()).contains("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):16").contains(":status: 200");
  }

  @Test
  void resolveJsonApi() throws Exception {
    Peer.Result r = curl("--http2", "-D", dir.resolve("h.txt").toString(),
        base + "/resolve?name=ipv4only.lab.test&type=AAAA&cd=0&do=1");
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("Status").asInt()).isZero();
    assertThat(j.get("RD").asBoolean()).isTrue();
    assertThat(j.get("RA").asBoolean()).isTrue();
    assertThat(j.get("TC").asBoolean()).isFalse();
    assertThat(j.get("Question").get(0).get("name").asText()).isEqualTo(FixedZoneHandler.NAME);
    assertThat(j.get("Question").get(0).get("type").asInt()).isEqualTo(28);
    assertThat(j.get("Answer").get(0).get("type").asInt()).isEqualTo(28);
    assertThat(j.get("Answer").get(0).get("TTL").asInt()).isEqualTo(300);
    assertThat(j.get("Answer").get(0).get("data").asText()).isEqualTo(FixedZoneHandler.SYNTHESIZED);
    assertThat(Files.readString(dir.resolve("h.txt"))).containsIgnoringCase("content-type: application/json");
    assertThat(handler.lastContext.get().transport()).isEqualTo(Transport.DOH_JSON);

    JsonNode numeric = new ObjectMapper().readTree(curl("--http1.1", "-D", dir.resolve("h2.txt").toString(),
        base + "/resolve?name=nowhere.lab.test&type=28&ct=application/dns-json").out());
    assertThat(numeric.get("Status").asInt()).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("h2.txt"))).containsIgnoringCase("content-type: application/dns-json");
    assertThat(status("--http2", base + "/resolve?name=x.lab.test&type=NOSUCHTYPE")).isEqualTo("400");
    assertThat(status("--http2", base + "/resolve?type=A")).isEqualTo("400");
  }

  @Test
  void plainListenerBelievesForwardedHeadersOnlyFromTrustedProxies() throws Exception {
    String url = "/dns-query?dns=" + b64(aaaaQuery());
    // from 127.0.0.1 (trusted): X-Forwarded-For names the subscriber
    assertThat(rawHttp("127.0.0.1", null, "GET " + url + " HTTP/1.1\r\nHost: x\r\n"
        + "X-Forwarded-For: 2001:db8::7, 127.0.0.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    assertThat(handler.lastContext.get().client()).isEqualTo(InetAddress.getByName("2001:db8::7"));
    assertThat(rawHttp("127.0.0.1", null, "GET " + url + " HTTP/1.1\r\nHost: x\r\n"
        + "Forwarded: for=\"[2001:db8::8]:4711\";proto=https\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    assertThat(handler.lastContext.get().client()).isEqualTo(InetAddress.getByName("2001:db8::8"));
    // from 127.0.0.2 (not trusted): the header is ignored
    assertThat(rawHttp("127.0.0.2", null, "GET " + url + " HTTP/1.1\r\nHost: x\r\n"
        + "X-Forwarded-For: 2001:db8::7\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    assertThat(handler.lastContext.get().client()).isEqualTo(InetAddress.getByName("127.0.0.2"));
  }

  @Test
  void plainListenerTakesTheClientFromProxyProtocolV2() throws Exception {
    String url = "/dns-query?dns=" + b64(aaaaQuery());
    byte[] header = proxyV2("203.0.113.9", 40000);
    assertThat(rawHttp("127.0.0.1", header, "GET " + url + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
    assertThat(handler.lastContext.get().client()).isEqualTo(InetAddress.getByName("203.0.113.9"));
    // an untrusted peer sending a PROXY header is just sending garbage HTTP
    assertThat(rawHttp("127.0.0.2", header, "GET " + url + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400");
  }

  static byte[] proxyV2(String source, int port) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(ProxyV2Header.SIGNATURE);
    b.write(0x21); // v2, PROXY
    b.write(0x11); // TCP over IPv4
    b.write(0);
    b.write(12);
    b.write(InetAddress.getByName(source).getAddress());
    b.write(InetAddress.getByName("127.0.0.1").getAddress());
    b.write(port >> 8);
    b.write(port & 0xff);
    b.write(8080 >> 8);
    b.write(8080 & 0xff);
    return b.toByteArray();
  }

  String rawHttp(String from, byte[] prefix, String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), plainPort, InetAddress.getByName(from), 0)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      if (prefix != null) out.write(prefix);
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void malformedHttpGets400AndOthersAreStillServed() throws Exception {
    assertThat(rawHttp("127.0.0.2", null, "\u0001\u0002garbage that is not HTTP\r\n\r\n")).startsWith("HTTP/1.1 400");
    assertThat(rawHttp("127.0.0.2", null, "GET /dns-query?dns=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400");
    assertThat(status("--http2", base + "/dns-query?dns=" + b64(aaaaQuery()))).isEqualTo("200");
  }

  @Test
  void slowlorisConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    // a request whose body never arrives (Content-Length larger than what is sent), on TLS and on plain HTTP
    try (SSLSocket s = TestTls.connect(TestTls.trusting(cert), port);
        Socket p = new Socket(InetAddress.getByName("127.0.0.1"), plainPort)) {
      p.setSoTimeout(5000);
      String partial = "POST /dns-query HTTP/1.1\r\nHost: x\r\nContent-Type: application/dns-message\r\n"
          + "Content-Length: 50\r\n\r\nabc";
      s.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      p.getOutputStream().write("GET /dns-query?dns=AAAA".getBytes(StandardCharsets.ISO_8859_1));
      p.getOutputStream().flush();
      // meanwhile another client is served
      assertThat(status("--http2", base + "/dns-query?dns=" + b64(aaaaQuery()))).isEqualTo("200");
      long t0 = System.nanoTime();
      assertThat(readToEnd(s.getInputStream())).isEqualTo(-1);
      assertThat(readToEnd(p.getInputStream())).isEqualTo(-1);
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4900L);
    }
  }

  private static int readToEnd(InputStream in) throws IOException {
    int b;
    while ((b = in.read()) >= 0) {
      // discard: the close is what we wait for
    }
    return b;
  }
}
