package net.tinyisp.dns.encrypted;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.Dns64Service;
import net.tinyisp.dns.config.Dns64Config;
import net.tinyisp.dns.proxy.DohProxyConfig;
import net.tinyisp.dns.proxy.DohProxyService;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.tls.CertificateFiles;
import net.tinyisp.dns.tls.EncryptedDnsConfig;
import net.tinyisp.dns.tls.EncryptedDnsService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * {@code doh-proxy} driven by kdig over UDP and TCP, IPv4 and IPv6, in front of tinyisp's own DoH and DoT servers
 * (which run the real DNS64 resolver over nsd) and in front of dnsdist's DoH frontend.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DohProxyIT {
  Path dir;
  PeerProcesses nsd;
  Dns64Service dns64;
  EncryptedDnsService tinyisp;
  EncryptedDnsService liar;
  CertificateFiles cert;
  final AtomicInteger upstreamQueries = new AtomicInteger();
  final List<AutoCloseable> proxies = new java.util.ArrayList<>();

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    dir = tmp;
    Peer.require("nsd");
    nsd = PeerProcesses.nsd(dir.resolve("nsd"));
    dns64 = new Dns64Service(Dns64Config.fromFlags(List.of("127.0.0.1:0"), List.of("127.0.0.1:" + nsd.port), null,
        null, null, null, null, false, null), new Metrics());
    dns64.start();
    cert = TestTls.certificate(dir.resolve("tls"));
    QueryHandler counting = (q, ctx) -> {
      upstreamQueries.incrementAndGet();
      return dns64.queryHandler().handle(q, ctx);
    };
    tinyisp = new EncryptedDnsService(EncryptedDnsConfig.of(List.of("127.0.0.1:0"), List.of("127.0.0.1:0"), null,
        cert.cert().toString(), cert.key().toString(), null, dir.toString()), counting, new Metrics());
    tinyisp.start();
    // an upstream that answers every query with bytes that are not a DNS message
    liar = new EncryptedDnsService(EncryptedDnsConfig.of(null, List.of("127.0.0.1:0"), null,
        cert.cert().toString(), cert.key().toString(), null, dir.toString()),
        (q, ctx) -> CompletableFuture.completedFuture(new byte[] {q[0], q[1], (byte) 0x81, 0, 0, 1, 0, 9, 0, 0, 0, 0, 1}),
        new Metrics());
    liar.start();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable p : proxies) p.close();
    if (liar != null) liar.close();
    if (tinyisp != null) tinyisp.close();
    if (dns64 != null) dns64.close();
    if (nsd != null) nsd.close();
  }

  DohProxyService proxy(List<String> upstreams, List<String> bootstrap) throws Exception {
    DohProxyService p = new DohProxyService(new DohProxyConfig(List.of("127.0.0.1:0", "[::1]:0"), upstreams,
        bootstrap, false, cert.cert().toString(), null, null, 1000, null), new Metrics());
    p.start();
    proxies.add(p);
    return p;
  }

  static Peer.Result kdig(String server, int port, String... extra) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("kdig", "@" + server, "-p", Integer.toString(port),
        "+timeout=3", "+retry=0"));
    cmd.addAll(List.of(extra));
    return Peer.run(20, cmd.toArray(String[]::new));
  }

  @Test
  void kdigThroughProxyToTinyispDohOnIpv4AndIpv6UdpAndTcp() throws Exception {
    int doh = tinyisp.dohAddresses().getFirst().getPort();
    // by name with a bootstrap address: the certificate is checked for "localhost"
    DohProxyService p = proxy(List.of("https://localhost:" + doh + "/dns-query"), List.of("localhost=127.0.0.1"));
    int v4 = p.udpAddresses().get(0).getPort();
    int v6 = p.udpAddresses().get(1).getPort();
    for (String[] how : List.of(new String[] {"127.0.0.1", "" + v4, "+notcp"}, new String[] {"::1", "" + v6, "+notcp"},
        new String[] {"127.0.0.1", "" + v4, "+tcp"}, new String[] {"::1", "" + v6, "+tcp"})) {
      Peer.Result r = kdig(how[0], Integer.parseInt(how[1]), how[2], "AAAA", "a-only.dns64.test");
      assertThat(r.out()).as(String.join(" ", how) + r.err()).contains("status: NOERROR")
          .contains(Dns64TransportsIT.SYNTH);
    }
  }

  @Test
  void answersKeepTheClientsIdAndComeFromTheCacheTheSecondTime() throws Exception {
    int doh = tinyisp.dohAddresses().getFirst().getPort();
    DohProxyService p = proxy(List.of("https://127.0.0.1:" + doh + "/dns-query"), null);
    int port = p.udpAddresses().getFirst().getPort();
    int before = upstreamQueries.get();
    Message first = udp(port, 4242, "dual.dns64.test.");
    Message second = udp(port, 777, "dual.dns64.test.");
    assertThat(first.getHeader().getID()).isEqualTo(4242);
    assertThat(second.getHeader().getID()).isEqualTo(777);
    assertThat(second.getSection(1).getFirst().rdataToString()).isEqualTo("2001:db8:0:0:0:0:0:11");
    assertThat(upstreamQueries.get() - before).isEqualTo(1);
  }

  @Test
  void dotUpstream() throws Exception {
    int dot = tinyisp.dotAddresses().getFirst().getPort();
    DohProxyService p = proxy(List.of("tls://127.0.0.1:" + dot), null);
    Peer.Result r = kdig("127.0.0.1", p.udpAddresses().getFirst().getPort(), "AAAA", "a-only.dns64.test");
    assertThat(r.out()).as(r.err()).contains(Dns64TransportsIT.SYNTH);
  }

  @Test
  void failsOverFromADeadUpstream() throws Exception {
    int doh = tinyisp.dohAddresses().getFirst().getPort();
    int dead = PeerProcesses.freePort();
    DohProxyService p = proxy(List.of("https://127.0.0.1:" + dead + "/dns-query",
        "https://127.0.0.1:" + doh + "/dns-query"), null);
    Peer.Result r = kdig("127.0.0.1", p.udpAddresses().getFirst().getPort(), "AAAA", "a-only.dns64.test");
    assertThat(r.out()).as(r.err()).contains(Dns64TransportsIT.SYNTH);
  }

  @Test
  void malformedUpstreamAnswersAreCountedAndTheClientGetsServfail() throws Exception {
    int bad = liar.dohAddresses().getFirst().getPort();
    DohProxyService p = proxy(List.of("https://127.0.0.1:" + bad + "/dns-query"), null);
    Message m = udp(p.udpAddresses().getFirst().getPort(), 99, "a-only.dns64.test.");
    assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(m.getHeader().getID()).isEqualTo(99);
    assertThat(p.metrics().dropCount(DropReason.UPSTREAM_MALFORMED)).isPositive();
  }

  @Test
  void untrustedCertificateIsRefusedUnlessInsecure() throws Exception {
    int doh = tinyisp.dohAddresses().getFirst().getPort();
    CertificateFiles other = TestTls.certificate(dir.resolve("other-ca"));
    DohProxyService strict = new DohProxyService(new DohProxyConfig(List.of("127.0.0.1:0"),
        List.of("https://127.0.0.1:" + doh + "/dns-query"), null, false, other.cert().toString(), null, null, 1000,
        null), new Metrics());
    strict.start();
    proxies.add(strict);
    assertThat(udp(strict.udpAddresses().getFirst().getPort(), 1, "a-only.dns64.test.").getRcode())
        .isEqualTo(Rcode.SERVFAIL);
    DohProxyService insecure = new DohProxyService(new DohProxyConfig(List.of("127.0.0.1:0"),
        List.of("https://127.0.0.1:" + doh + "/dns-query"), null, true, null, null, null, 1000, null), new Metrics());
    insecure.start();
    proxies.add(insecure);
    assertThat(udp(insecure.udpAddresses().getFirst().getPort(), 2, "a-only.dns64.test.").getRcode())
        .isEqualTo(Rcode.NOERROR);
  }

  @Test
  void reconnectsAfterTheUpstreamClosedAnIdleConnection() throws Exception {
    EncryptedDnsService shortIdle = new EncryptedDnsService(new EncryptedDnsConfig(List.of("127.0.0.1:0"),
        List.of("127.0.0.1:0"), null, cert.cert().toString(), cert.key().toString(), null, null, 1, null, null, null,
        dir.toString()), dns64.queryHandler(), new Metrics());
    shortIdle.start();
    proxies.add(shortIdle);
    DohProxyService doh = proxy(List.of("https://127.0.0.1:" + shortIdle.dohAddresses().getFirst().getPort()
        + "/dns-query"), null);
    DohProxyService dot = proxy(List.of("tls://127.0.0.1:" + shortIdle.dotAddresses().getFirst().getPort()), null);
    for (DohProxyService p : List.of(doh, dot)) {
      int port = p.udpAddresses().getFirst().getPort();
      assertThat(udp(port, 1, "a-only.dns64.test.").getRcode()).isEqualTo(Rcode.NOERROR);
      Thread.sleep(1600); // the server closes the idle connection after 1 s
      assertThat(udp(port, 2, "dual.dns64.test.").getRcode()).isEqualTo(Rcode.NOERROR);
    }
  }

  @Test
  void inFrontOfDnsdistDoh() throws Exception {
    Peer.require("dnsdist");
    try (PeerProcesses dnsdist = PeerProcesses.dnsdistDoh(dir.resolve("dnsdist"), cert.cert(), cert.key(),
        dns64.udpAddresses().getFirst().getPort())) {
      DohProxyService p = proxy(List.of("https://localhost:" + dnsdist.port + "/dns-query"),
          List.of("127.0.0.1"));
      for (String mode : List.of("+notcp", "+tcp")) {
        Peer.Result r = kdig("127.0.0.1", p.udpAddresses().getFirst().getPort(), mode, "AAAA", "a-only.dns64.test");
        assertThat(r.out()).as(r.err()).contains("status: NOERROR").contains(Dns64TransportsIT.SYNTH);
      }
    }
  }

  static Message udp(int port, int id, String name) throws Exception {
    byte[] q = DotServerIT.query(name, id, false, false);
    q[2] |= 0x01; // RD
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(5000);
      s.send(new DatagramPacket(q, q.length, InetAddress.getByName("127.0.0.1"), port));
      DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
      s.receive(in);
      return new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
    }
  }
}
