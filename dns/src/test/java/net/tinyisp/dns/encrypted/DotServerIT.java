package net.tinyisp.dns.encrypted;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.server.Transport;
import net.tinyisp.dns.tls.CertificateFiles;
import net.tinyisp.dns.tls.EdnsPadding;
import net.tinyisp.dns.tls.EncryptedDnsConfig;
import net.tinyisp.dns.tls.EncryptedDnsDrop;
import net.tinyisp.dns.tls.EncryptedDnsService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** DoT (RFC 7858) against kdig and a JDK TLS client, with a certificate generated in the test. */
@Timeout(60)
class DotServerIT {
  @TempDir Path dir;
  FixedZoneHandler handler = new FixedZoneHandler();
  EncryptedDnsService service;
  CertificateFiles cert;
  int port;

  @BeforeEach
  void start() throws Exception {
    cert = TestTls.certificate(dir.resolve("le"));
    service = new EncryptedDnsService(new EncryptedDnsConfig(List.of("127.0.0.1:0"), null, null,
        cert.cert().toString(), cert.key().toString(), null, null, 2, 3, 8, 3600, dir.toString()), handler,
        new Metrics());
    service.start();
    port = service.dotAddresses().getFirst().getPort();
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void kdigOverTlsVerifiesTheCertificateAndGetsTheSynthesizedAaaa() throws Exception {
    Peer.Result r = Peer.run(20, "kdig", "@127.0.0.1", "-p", Integer.toString(port), "+tls-ca=" + cert.cert(),
        "+tls-hostname=localhost", "AAAA", FixedZoneHandler.NAME);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("TLS session (TLS1.3)").contains(FixedZoneHandler.SYNTHESIZED);
    assertThat(handler.lastContext.get().transport()).isEqualTo(Transport.DOT);
  }

  @Test
  void kdigPaddedQueryGetsA468BlockResponse() throws Exception {
    Peer.Result r = Peer.run(20, "kdig", "@127.0.0.1", "-p", Integer.toString(port), "+tls", "+padding",
        "AAAA", FixedZoneHandler.NAME);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains(FixedZoneHandler.SYNTHESIZED).containsPattern("Received 468 B");
  }

  @Test
  void paddingOnlyWhenTheQueryWasPadded() throws Exception {
    try (SSLSocket s = TestTls.connect(TestTls.trusting(cert), port)) {
      byte[] plain = exchange(s, query(FixedZoneHandler.NAME, 1, true, false));
      byte[] padded = exchange(s, query(FixedZoneHandler.NAME, 2, true, true));
      assertThat(plain.length % EdnsPadding.RESPONSE_BLOCK).isNotZero();
      assertThat(padded.length).isEqualTo(EdnsPadding.RESPONSE_BLOCK);
      assertThat(new Message(padded).getOPT().getOptions(EDNSOption.Code.PADDING)).hasSize(1);
    }
  }

  @Test
  void pipelinedQueriesAreAnsweredOutOfOrder() throws Exception {
    try (SSLSocket s = TestTls.connect(TestTls.trusting(cert), port)) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      byte[] slow = query("slow.lab.test.", 100, false, false);
      byte[] fast = query(FixedZoneHandler.NAME, 200, false, false);
      // both queries in one write: the slow one first
      java.io.ByteArrayOutputStream both = new java.io.ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(both);
      d.writeShort(slow.length);
      d.write(slow);
      d.writeShort(fast.length);
      d.write(fast);
      out.write(both.toByteArray());
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      assertThat(new Message(read(in)).getHeader().getID()).isEqualTo(200);
      assertThat(new Message(read(in)).getHeader().getID()).isEqualTo(100);
    }
  }

  @Test
  void idleConnectionIsClosedAfterTheTimeout() throws Exception {
    try (SSLSocket s = TestTls.connect(TestTls.trusting(cert), port)) {
      exchange(s, query(FixedZoneHandler.NAME, 1, false, false));
      long t0 = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the server, not by our 5 s timeout
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1000L, 4900L);
    }
    assertThat(service.metrics().dropped(EncryptedDnsDrop.IDLE_TIMEOUT)).isPositive();
  }

  @Test
  void connectionsOverTheLimitAreClosedWhileOthersAreServed() throws Exception {
    SSLContext ctx = TestTls.trusting(cert);
    try (SSLSocket a = TestTls.connect(ctx, port); SSLSocket b = TestTls.connect(ctx, port);
        SSLSocket c = TestTls.connect(ctx, port); Socket d = new Socket("127.0.0.1", port)) {
      d.setSoTimeout(5000);
      assertThat(d.getInputStream().read()).isEqualTo(-1); // the fourth, over max-connections 3
      assertThat(exchange(a, query(FixedZoneHandler.NAME, 7, false, false))).isNotEmpty();
    }
    assertThat(service.metrics().dropped(EncryptedDnsDrop.CONNECTION_LIMIT)).isPositive();
  }

  @Test
  void shortFrameClosesThatConnectionOnly() throws Exception {
    SSLContext ctx = TestTls.trusting(cert);
    try (SSLSocket bad = TestTls.connect(ctx, port); SSLSocket good = TestTls.connect(ctx, port)) {
      DataOutputStream out = new DataOutputStream(bad.getOutputStream());
      out.writeShort(3);
      out.write(new byte[] {1, 2, 3});
      out.flush();
      assertThat(bad.getInputStream().read()).isEqualTo(-1);
      assertThat(new Message(exchange(good, query(FixedZoneHandler.NAME, 9, false, false))).getHeader().getID())
          .isEqualTo(9);
    }
  }

  @Test
  void plainTcpClientDoesNotGetAnAnswer() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      byte[] q = query(FixedZoneHandler.NAME, 1, false, false);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(q.length);
      out.write(q);
      out.flush();
      try {
        int b = s.getInputStream().read();
        // a TLS alert or a close, never a DNS answer
        assertThat(b).isIn(-1, 0x15);
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // also fine: no answer
      }
    }
  }

  @Test
  void reloadedCertificateServesNewConnectionsAndTheOpenOneKeepsWorking() throws Exception {
    SSLSocket old = TestTls.connect(TestTls.trusting(cert), port);
    X509Certificate before = (X509Certificate) old.getSession().getPeerCertificates()[0];
    CertificateFiles renewed = TestTls.certificate(dir.resolve("renewal"));
    // certbot renews by writing new files; here they replace the configured ones in place
    java.nio.file.Files.copy(renewed.key(), cert.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    java.nio.file.Files.copy(renewed.cert(), cert.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    service.reloadCertificates();
    try (SSLSocket fresh = TestTls.connect(TestTls.trusting(renewed), port)) {
      X509Certificate after = (X509Certificate) fresh.getSession().getPeerCertificates()[0];
      assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
      assertThat(exchange(fresh, query(FixedZoneHandler.NAME, 5, false, false))).isNotEmpty();
    }
    assertThat(new Message(exchange(old, query(FixedZoneHandler.NAME, 6, false, false))).getHeader().getID())
        .isEqualTo(6);
    old.close();
  }

  static byte[] query(String name, int id, boolean edns, boolean padding) throws IOException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.AAAA, DClass.IN));
    q.getHeader().setID(id);
    if (edns || padding) {
      q.addRecord(padding
          ? new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[20])))
          : new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return q.toWire();
  }

  static byte[] exchange(Socket s, byte[] query) throws IOException {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeShort(query.length);
    out.write(query);
    out.flush();
    return read(new DataInputStream(s.getInputStream()));
  }

  static byte[] read(DataInputStream in) throws IOException {
    int len = in.readUnsignedShort();
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  @SuppressWarnings("unused")
  private static void unused() throws EOFException {}
}
