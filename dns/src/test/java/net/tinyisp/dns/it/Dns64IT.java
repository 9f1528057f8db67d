package net.tinyisp.dns.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.Dns64Service;
import net.tinyisp.dns.config.Dns64Config;
import net.tinyisp.dns.config.Dns64Prefix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * tinyisp's DNS64 forwarding to a real nsd serving {@code dns64.test}, checked with real kdig queries over UDP
 * and TCP. Prefix 64:ff9b::/96 applies to every client with {@code mapped !10/8; any;}; a second prefix
 * 2001:db8:6400::/48 applies only to client 127.0.0.3; 127.0.0.2 is outside allow-query.
 */
@Timeout(120)
class Dns64IT {
  static NsdPeer nsd;
  static Metrics metrics;
  static Dns64Service dns;
  static int port;
  static int port6;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(NsdPeer.available(), "nsd is not installed (apt-get install nsd)");
    Assumptions.assumeTrue(Kdig.available(), "kdig is not installed (apt-get install knot-dnsutils)");
    nsd = NsdPeer.start();
    metrics = new Metrics();
    Dns64Config config = new Dns64Config(List.of("127.0.0.1:0", "[::1]:0"), List.of("127.0.0.1:" + nsd.port),
        List.of(new Dns64Prefix("64:ff9b::/96", "any;", "!10/8; any;", null, null, false, null),
            new Dns64Prefix("2001:db8:6400::/48", "127.0.0.3;", null, null, null, false, null)),
        "!127.0.0.2; 127.0.0.0/8; ::1;", null, null, null, 1000, 1, 700, null, null, null, null, null, null, null);
    dns = new Dns64Service(config, metrics);
    dns.start();
    port = dns.udpAddresses().get(0).getPort();
    port6 = dns.udpAddresses().get(1).getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (dns != null) dns.close();
    if (nsd != null) nsd.close();
  }

  static Kdig.Result dig(String name, String type, String... opts) throws Exception {
    return Kdig.query("127.0.0.1", port, name, type, opts);
  }

  static String[] transport(String t) {
    return t.equals("tcp") ? new String[] {"+tcp"} : new String[] {"+notcp"};
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void aOnlyNameGetsSynthesizedAaaaWithSoaMinimumTtl(String t) throws Exception {
    Kdig.Result r = dig("a-only.dns64.test", "AAAA", transport(t));
    assertThat(r.status()).isEqualTo("NOERROR");
    assertThat(r.rdata("AAAA")).containsExactly("64:ff9b::c633:640a");
    // RFC 6147 §5.1.7: min(A TTL 3600, SOA minimum 300)
    assertThat(r.ttls("AAAA")).allMatch(ttl -> ttl <= 300 && ttl > 250);
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void realAaaaIsNeverReplaced(String t) throws Exception {
    assertThat(dig("dual.dns64.test", "AAAA", transport(t)).rdata("AAAA")).containsExactly("2001:db8::11");
    assertThat(dig("aaaa-only.dns64.test", "AAAA", transport(t)).rdata("AAAA")).containsExactly("2001:db8::12");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void cnameChainIsKeptWithSynthesisAtItsEnd(String t) throws Exception {
    Kdig.Result r = dig("cname-a.dns64.test", "AAAA", transport(t));
    assertThat(r.answer()).hasSize(3);
    assertThat(r.answer().get(0)).contains("CNAME c2.dns64.test.");
    assertThat(r.answer().get(1)).contains("CNAME a-only.dns64.test.");
    assertThat(r.answer().get(2)).startsWith("a-only.dns64.test.").endsWith("AAAA 64:ff9b::c633:640a");
    Kdig.Result dual = dig("cname-dual.dns64.test", "AAAA", transport(t));
    assertThat(dual.rdata("AAAA")).containsExactly("2001:db8::11");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void nodataAndNxdomainPassThrough(String t) throws Exception {
    Kdig.Result nodata = dig("nodata.dns64.test", "AAAA", transport(t));
    assertThat(nodata.status()).isEqualTo("NOERROR");
    assertThat(nodata.answer()).isEmpty();
    assertThat(nodata.section("AUTHORITY")).anyMatch(l -> l.contains("SOA"));
    assertThat(dig("nowhere.dns64.test", "AAAA", transport(t)).status()).isEqualTo("NXDOMAIN");
    Kdig.Result cnameNx = dig("cname-nx.dns64.test", "AAAA", transport(t));
    assertThat(cnameNx.status()).isEqualTo("NXDOMAIN");
    assertThat(cnameNx.answer()).anyMatch(l -> l.contains("CNAME missing.dns64.test."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void mappedAclRemovesTenSlashEight(String t) throws Exception {
    Kdig.Result ten = dig("ten.dns64.test", "AAAA", transport(t));
    assertThat(ten.status()).isEqualTo("NOERROR");
    assertThat(ten.answer()).isEmpty();
    assertThat(dig("mixed-ten.dns64.test", "AAAA", transport(t)).rdata("AAAA")).containsExactly("64:ff9b::c633:640d");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void excludedMappedAaaaCountsAsAbsent(String t) throws Exception {
    assertThat(dig("mapped.dns64.test", "AAAA", transport(t)).rdata("AAAA")).containsExactly("64:ff9b::c633:640e");
  }

  @Test
  void ttlRules() throws Exception {
    assertThat(dig("short-ttl.dns64.test", "AAAA").ttls("AAAA")).allMatch(ttl -> ttl <= 5);
    assertThat(dig("long-ttl.dns64.test", "AAAA").ttls("AAAA")).allMatch(ttl -> ttl <= 300 && ttl > 250);
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void wildcardNamesAreSynthesized(String t) throws Exception {
    Kdig.Result r = dig("anything.wild.dns64.test", "AAAA", transport(t));
    assertThat(r.rdata("AAAA")).containsExactly("64:ff9b::c633:6411");
  }

  @Test
  void bigRrsetIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
    Kdig.Result udp = dig("big.dns64.test", "AAAA", "+notcp", "+ignore", "+bufsize=1232");
    assertThat(udp.flags()).contains("tc");
    Kdig.Result tcp = dig("big.dns64.test", "AAAA", "+tcp");
    assertThat(tcp.rdata("AAAA")).hasSize(90).contains("64:ff9b::cb00:7101");
    // the A RRset itself is bigger than 1232 bytes: nsd truncates, tinyisp retries upstream over TCP
    Kdig.Result a = dig("big.dns64.test", "A", "+tcp");
    assertThat(a.rdata("A")).hasSize(90);
    Kdig.Result noEdns = dig("a-only.dns64.test", "AAAA", "+notcp", "+noedns");
    assertThat(noEdns.flags()).doesNotContain("tc");
    assertThat(noEdns.text()).doesNotContain("EDNS PSEUDOSECTION");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void otherTypesAreUntouched(String t) throws Exception {
    assertThat(dig("a-only.dns64.test", "A", transport(t)).rdata("A")).containsExactly("198.51.100.10");
    Kdig.Result any = dig("a-only.dns64.test", "ANY", transport(t));
    assertThat(any.rdata("AAAA")).isEmpty();
    assertThat(dig("nodata.dns64.test", "TXT", transport(t)).rdata("TXT")).containsExactly("\"only a TXT record\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void reverseOfSynthesizedAddressIsCnameToInAddrArpa(String t) throws Exception {
    Kdig.Result r = dig("a.0.4.6.3.3.6.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.9.f.f.4.6.0.0.ip6.arpa", "PTR",
        transport(t));
    assertThat(r.status()).isEqualTo("NOERROR");
    assertThat(r.answer().get(0)).contains("CNAME 10.100.51.198.in-addr.arpa.");
    assertThat(r.rdata("PTR")).containsExactly("a-only.dns64.test.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void ipv4onlyArpaIsAnsweredLocally(String t) throws Exception {
    assertThat(dig("ipv4only.arpa", "A", transport(t)).rdata("A")).containsExactly("192.0.0.170", "192.0.0.171");
    assertThat(dig("ipv4only.arpa", "AAAA", transport(t)).rdata("AAAA"))
        .containsExactly("64:ff9b::c000:aa", "64:ff9b::c000:ab");
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp"})
  void clientOutsideAllowQueryIsRefused(String t) throws Exception {
    Kdig.Result r = Kdig.query("127.0.0.1", port, "a-only.dns64.test", "AAAA", "-b 127.0.0.2", transport(t)[0]);
    assertThat(r.status()).isEqualTo("REFUSED");
    assertThat(metrics.scrape()).containsPattern("tinyisp_dns_refused_clients_total [1-9]")
        .containsPattern("tinyisp_dns_udp_busy_poll_seconds_total [0-9.eE-]+");
  }

  @Test
  void clientsAclSelectsPrefixesAndSeveralPrefixesAnswerEach() throws Exception {
    Kdig.Result r = Kdig.query("127.0.0.1", port, "a-only.dns64.test", "AAAA", "-b 127.0.0.3");
    assertThat(r.rdata("AAAA")).containsExactlyInAnyOrder("64:ff9b::c633:640a", "2001:db8:6400:c633:64:a00::");
    assertThat(dig("a-only.dns64.test", "AAAA").rdata("AAAA")).containsExactly("64:ff9b::c633:640a");
  }

  @Test
  void dnssecOkWithCheckingDisabledGetsNoSynthesis() throws Exception {
    Kdig.Result r = dig("a-only.dns64.test", "AAAA", "+dnssec", "+cdflag");
    assertThat(r.status()).isEqualTo("NOERROR");
    assertThat(r.rdata("AAAA")).isEmpty();
    assertThat(dig("a-only.dns64.test", "AAAA", "+dnssec").rdata("AAAA")).containsExactly("64:ff9b::c633:640a");
  }

  @Test
  void ipv6ListenerServes() throws Exception {
    Kdig.Result r = Kdig.query("::1", port6, "a-only.dns64.test", "AAAA");
    assertThat(r.rdata("AAAA")).containsExactly("64:ff9b::c633:640a");
    assertThat(Kdig.query("::1", port6, "a-only.dns64.test", "AAAA", "+tcp").rdata("AAAA"))
        .containsExactly("64:ff9b::c633:640a");
  }

  @Test
  void cacheAnswersTheSecondTimeWithAgedTtl() throws Exception {
    dig("cache.wild.dns64.test", "A");
    String before = metrics.scrape();
    Kdig.Result r = dig("cache.wild.dns64.test", "A");
    assertThat(r.rdata("A")).containsExactly("198.51.100.17");
    assertThat(hits(metrics.scrape())).isGreaterThan(hits(before));
  }

  private static double hits(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("tinyisp_dns_cache_lookups_total{result=\"hit\"}"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void tcpPipelinedQueriesAreAllAnswered() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), dns.tcpAddresses().get(0).getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      String[] names = {"big.dns64.test.", "a-only.dns64.test.", "dual.dns64.test.", "nowhere.dns64.test."};
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < names.length; i++) {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(names[i]), Type.AAAA, DClass.IN));
        q.getHeader().setID(1000 + i);
        byte[] w = q.toWire();
        all.write(w.length >> 8);
        all.write(w.length);
        all.write(w);
      }
      out.write(all.toByteArray()); // one write: the queries arrive pipelined
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < names.length; i++) {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        Message m = new Message(b);
        ids.add(m.getHeader().getID());
        assertThat(m.getQuestion().getName().toString()).isEqualTo(names[m.getHeader().getID() - 1000]);
      }
      assertThat(ids).containsExactlyInAnyOrder(1000, 1001, 1002, 1003);
    }
  }

  @Test
  void idleTcpConnectionIsClosed() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), dns.tcpAddresses().get(0).getPort())) {
      s.setSoTimeout(5000);
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by us after tcp-idle-timeout-ms (700)
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 4000L);
    }
  }

  @Test
  void malformedQueriesGetFormerrOrACountedDrop() throws Exception {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(2000);
      // header claiming one question, then a label running past the end
      byte[] bad = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 40, 'x'};
      s.send(new DatagramPacket(bad, bad.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      s.receive(p);
      assertThat(p.getLength()).isEqualTo(12);
      assertThat(p.getData()[0]).isEqualTo((byte) 0x12);
      assertThat(p.getData()[3] & 0xf).isEqualTo(1); // FORMERR
      byte[] tiny = {1, 2, 3};
      s.send(new DatagramPacket(tiny, tiny.length, InetAddress.getLoopbackAddress(), port));
    }
    Kdig.Result after = dig("a-only.dns64.test", "A");
    assertThat(after.status()).isEqualTo("NOERROR");
    assertThat(metrics.scrape()).containsPattern("tinyisp_dns_drops_total\\{reason=\"query_too_short\"} [1-9]")
        .containsPattern("tinyisp_dns_drops_total\\{reason=\"query_malformed\"} [1-9]");
  }

  @Test
  void deadUpstreamFailsOverToTheNextOne() throws Exception {
    int dead = NsdPeer.freePort();
    Metrics m = new Metrics();
    Dns64Config config = new Dns64Config(List.of("127.0.0.1:0"), List.of("127.0.0.1:" + dead, "127.0.0.1:" + nsd.port),
        null, null, null, null, null, 300, 2, null, null, null, null, null, null, null, null);
    try (Dns64Service other = new Dns64Service(config, m)) {
      other.start();
      int p = other.udpAddresses().get(0).getPort();
      Kdig.Result r = Kdig.query("127.0.0.1", p, "a-only.dns64.test", "AAAA");
      assertThat(r.rdata("AAAA")).containsExactly("64:ff9b::c633:640a");
      assertThat(m.scrape()).contains("tinyisp_dns_upstream_failures_total{reason=\"timeout\",upstream=\"udp://127.0.0.1:" + dead + "\"}");
    }
  }

  @Test
  void aSecondServiceCannotSilentlyShareTheUdpPort() {
    Dns64Config config = new Dns64Config(List.of("127.0.0.1:" + port), List.of("127.0.0.1:" + nsd.port), null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    try (Dns64Service other = new Dns64Service(config, new Metrics())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(other::start).hasMessageContaining("in use");
    }
  }

  /** udp-io: netty (Netty's datagram channel, the path off Linux) answers misses and hits as the native loop does. */
  @Test
  void nettyUdpIoServesMissesAndHits() throws Exception {
    Dns64Config config = new Dns64Config(List.of("127.0.0.1:0"), List.of("127.0.0.1:" + nsd.port), null, null, null,
        null, null, null, null, null, null, 2, "netty", null, null, null, null);
    try (Dns64Service other = new Dns64Service(config, new Metrics())) {
      other.start();
      int p = other.udpAddresses().get(0).getPort();
      for (int i = 0; i < 2; i++) { // a miss, then a hit
        Kdig.Result r = Kdig.query("127.0.0.1", p, "a-only.dns64.test", "AAAA");
        assertThat(r.rdata("AAAA")).containsExactly("64:ff9b::c633:640a");
      }
    }
  }
}
