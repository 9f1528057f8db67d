package net.tinyisp.nat64.steps;

import static net.tinyisp.nat64.steps.TestPackets.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.config.Pool4Entry;
import net.tinyisp.nat64.config.PortRange;
import net.tinyisp.nat64.wire.Bytes;
import org.junit.jupiter.api.Test;

/** Golden translations for each RFC 7915 case through the whole RFC 6146 pipeline. */
class TranslationTest {
  static final String CLIENT = "2001:db8:1::10";
  static final String SERVER6 = "2001:db8:64::cb00:710a"; // pool6 + 203.0.113.10
  static final String SERVER4 = "203.0.113.10";
  static final String POOL4 = "198.51.100.1";
  static final PortRange WIDE = new PortRange(1024, 65535);

  static Nat64Config config() {
    return Nat64Config.of("2001:db8:64::/96", List.of(new Pool4Entry(POOL4, WIDE, WIDE, WIDE)));
  }

  final Harness h = new Harness(config());
  static final byte[] HELLO = "hello, nat64".getBytes();

  @Test
  void udpSixToFourKeepsThePortAndFixesTheChecksum() {
    assertThat(h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)))).isEqualTo(Verdict.CONTINUE);
    byte[] p = h.only();
    // RFC 7915 §5.1: version 4, IHL 5, total length, DF clear below 1260, TTL = hop limit - 1, protocol 17
    assertThat(p[0]).isEqualTo((byte) 0x45);
    assertThat(Bytes.u16(p, 2)).isEqualTo(20 + 8 + HELLO.length);
    assertThat(Bytes.u16(p, 6) & 0x4000).isZero();
    assertThat(p[8]).isEqualTo((byte) 63);
    assertThat(p[9]).isEqualTo((byte) 17);
    assertThat(Arrays.copyOfRange(p, 12, 16)).isEqualTo(addr(POOL4));
    assertThat(Arrays.copyOfRange(p, 16, 20)).isEqualTo(addr(SERVER4));
    assertThat(Bytes.u16(p, 20)).isEqualTo(5000); // RFC 6146 §3.5.1.1: the port is kept when free
    assertThat(Bytes.u16(p, 22)).isEqualTo(53);
    assertThat(ipv4HeaderChecksumOk(p)).isTrue();
    assertThat(l4ChecksumOk(p)).isTrue();
    PcapCheck.record("udp-6to4", p);
  }

  @Test
  void udpFourToSixComputesAZeroChecksum() {
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.only();
    byte[] reply = v4(SERVER4, POOL4, 17, 64, 0, 0, udp(53, 5000, HELLO));
    reply[26] = 0; // RFC 768: checksum 0 means "none"; RFC 7915 §4.5 computes one for IPv6
    reply[27] = 0;
    assertThat(h.send(reply)).isEqualTo(Verdict.CONTINUE);
    byte[] p = h.only();
    assertThat(p[0] >> 4).isEqualTo(6);
    assertThat(Arrays.copyOfRange(p, 8, 24)).isEqualTo(addr(SERVER6));
    assertThat(Arrays.copyOfRange(p, 24, 40)).isEqualTo(addr(CLIENT));
    assertThat(p[7]).isEqualTo((byte) 63);
    assertThat(Bytes.u16(p, 42)).isEqualTo(5000);
    assertThat(Bytes.u16(p, 46)).isNotZero();
    assertThat(l4ChecksumOk(p)).isTrue();
    PcapCheck.record("udp-4to6-zero-checksum", p);
  }

  @Test
  void tcpHandshakeBothWays() {
    h.send(v6(CLIENT, SERVER6, 6, 64, tcp(40000, 80, 0x02, new byte[0])));
    byte[] syn = h.only();
    assertThat(syn[9]).isEqualTo((byte) 6);
    assertThat(l4ChecksumOk(syn)).isTrue();
    h.send(v4(SERVER4, POOL4, 6, 64, 0, 0x4000, tcp(80, Bytes.u16(syn, 20), 0x12, new byte[0])));
    byte[] synAck = h.only();
    assertThat(synAck[6]).isEqualTo((byte) 6);
    assertThat(Bytes.u16(synAck, 42)).isEqualTo(40000);
    assertThat(l4ChecksumOk(synAck)).isTrue();
    assertThat(h.state.table(net.tinyisp.nat64.state.L4Protocol.TCP).sessionSnapshot().getFirst().tcpState())
        .isEqualTo(net.tinyisp.nat64.state.TcpState.ESTABLISHED);
    PcapCheck.record("tcp-syn-6to4", syn);
    PcapCheck.record("tcp-synack-4to6", synAck);
  }

  @Test
  void tcpWithoutSessionIsDropped() {
    assertThat(h.send(v6(CLIENT, SERVER6, 6, 64, tcp(40000, 80, 0x10, new byte[0])))).isEqualTo(Verdict.DROP);
    assertThat(h.counters.dropped(DropReason.TCP_NO_SESSION)).isEqualTo(1);
  }

  @Test
  void echoBothWaysMapsTheIdentifier() {
    h.send(v6(CLIENT, SERVER6, 58, 64, echo(128, 0x1234, 1, HELLO)));
    byte[] req = h.only();
    assertThat(req[9]).isEqualTo((byte) 1);
    assertThat(req[20]).isEqualTo((byte) 8);
    int id = Bytes.u16(req, 24);
    assertThat(l4ChecksumOk(req)).isTrue();
    h.send(v4(SERVER4, POOL4, 1, 64, 7, 0, echo(0, id, 1, HELLO)));
    byte[] rep = h.only();
    assertThat(rep[6]).isEqualTo((byte) 58);
    assertThat(rep[40] & 0xff).isEqualTo(129);
    assertThat(Bytes.u16(rep, 44)).isEqualTo(0x1234);
    assertThat(l4ChecksumOk(rep)).isTrue();
    PcapCheck.record("echo-request-6to4", req);
    PcapCheck.record("echo-reply-4to6", rep);
  }

  @Test
  void unsolicitedInboundIsDropped() {
    assertThat(h.send(v4(SERVER4, POOL4, 17, 64, 0, 0, udp(53, 6000, HELLO)))).isEqualTo(Verdict.DROP);
    assertThat(h.counters.dropped(DropReason.NO_BIB)).isEqualTo(1);
    assertThat(h.out).isEmpty();
  }

  @Test
  void portUnreachableCarriesTheTranslatedInnerPacket() {
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 9, HELLO)));
    byte[] sent = h.only();
    byte[] err = v4("203.0.113.10", POOL4, 1, 64, 0, 0, icmpError(3, 3, 0, sent));
    assertThat(h.send(err)).isEqualTo(Verdict.CONSUMED);
    byte[] p = h.only();
    assertThat(p[6]).isEqualTo((byte) 58);
    assertThat(p[40] & 0xff).isEqualTo(1); // destination unreachable
    assertThat(p[41]).isEqualTo((byte) 4); // port unreachable
    assertThat(Arrays.copyOfRange(p, 24, 40)).isEqualTo(addr(CLIENT));
    // inner: the packet the client sent, as the client sent it
    int in = 48;
    assertThat(p[in] >> 4).isEqualTo(6);
    assertThat(Arrays.copyOfRange(p, in + 8, in + 24)).isEqualTo(addr(CLIENT));
    assertThat(Arrays.copyOfRange(p, in + 24, in + 40)).isEqualTo(addr(SERVER6));
    assertThat(Bytes.u16(p, in + 40)).isEqualTo(5000);
    assertThat(l4ChecksumOk(p)).isTrue();
    byte[] inner = Arrays.copyOfRange(p, in, p.length);
    assertThat(l4ChecksumOk(inner)).isTrue();
    PcapCheck.record("port-unreachable-4to6", p);
  }

  @Test
  void fragmentationNeededBecomesPacketTooBig() {
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 9, HELLO)));
    byte[] sent = h.only();
    h.send(v4("198.51.100.254", POOL4, 1, 64, 0, 0, icmpError(3, 4, 1400, sent)));
    byte[] p = h.only();
    assertThat(p[40] & 0xff).isEqualTo(2);
    assertThat(Bytes.i32(p, 44)).isEqualTo(1420); // RFC 7915 §4.2: +20
    assertThat(Arrays.copyOfRange(p, 8, 24)).isEqualTo(addr("2001:db8:64::c633:64fe"));
    h.send(v4("198.51.100.254", POOL4, 1, 64, 0, 0, icmpError(3, 4, 576, sent)));
    assertThat(Bytes.i32(h.only(), 44)).isEqualTo(1280); // never below the IPv6 minimum MTU
    PcapCheck.record("ptb-4to6", p);
  }

  @Test
  void timeExceededFromARouterKeepsTheRouterAddress() {
    h.send(v6(CLIENT, SERVER6, 17, 2, udp(33434, 33434, HELLO)));
    byte[] sent = h.only();
    h.send(v4("198.51.100.254", POOL4, 1, 64, 0, 0, icmpError(11, 0, 0, sent)));
    byte[] p = h.only();
    assertThat(p[40] & 0xff).isEqualTo(3);
    assertThat(l4ChecksumOk(p)).isTrue();
    PcapCheck.record("time-exceeded-4to6", p);
  }

  @Test
  void packetTooBigFromTheIpv6SideBecomesFragmentationNeeded() {
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    byte[] out = h.only();
    // the server answers; the IPv6 side reports PTB about the translated answer
    h.send(v4(SERVER4, POOL4, 17, 64, 0, 0, udp(53, Bytes.u16(out, 20), HELLO)));
    byte[] answer = h.only();
    assertThat(h.send(v6(CLIENT, SERVER6, 58, 64, icmpError(2, 0, 1400, answer)))).isEqualTo(Verdict.CONSUMED);
    byte[] p = h.only();
    assertThat(p[9]).isEqualTo((byte) 1);
    assertThat(p[20]).isEqualTo((byte) 3);
    assertThat(p[21]).isEqualTo((byte) 4);
    assertThat(Bytes.u16(p, 26)).isEqualTo(1380);
    assertThat(ipv4HeaderChecksumOk(p)).isTrue();
    assertThat(l4ChecksumOk(p)).isTrue();
    byte[] inner = Arrays.copyOfRange(p, 28, p.length);
    assertThat(Arrays.copyOfRange(inner, 12, 16)).isEqualTo(addr(SERVER4));
    assertThat(Arrays.copyOfRange(inner, 16, 20)).isEqualTo(addr(POOL4));
    assertThat(l4ChecksumOk(inner)).isTrue();
    PcapCheck.record("frag-needed-6to4", p);
  }

  @Test
  void hopLimitOneIsAnsweredWithTimeExceeded() {
    assertThat(h.send(v6(CLIENT, SERVER6, 17, 1, udp(5000, 53, HELLO)))).isEqualTo(Verdict.DROP);
    byte[] p = h.only();
    assertThat(p[40] & 0xff).isEqualTo(3);
    assertThat(Arrays.copyOfRange(p, 24, 40)).isEqualTo(addr(CLIENT));
    assertThat(l4ChecksumOk(p)).isTrue();
    assertThat(h.counters.dropped(DropReason.HOP_LIMIT_EXCEEDED)).isEqualTo(1);
  }

  @Test
  void ipv6FragmentsAreReassembledAndTranslated() {
    byte[] payload = new byte[3000];
    for (int i = 0; i < payload.length; i++) payload[i] = (byte) i;
    byte[] whole = v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, payload));
    byte[] l4 = Arrays.copyOfRange(whole, 40, whole.length);
    // two fragments, second one first
    byte[] f1 = frag6(whole, l4, 0, 1504, true);
    byte[] f2 = frag6(whole, l4, 1504, l4.length - 1504, false);
    assertThat(h.send(f2)).isEqualTo(Verdict.CONSUMED);
    assertThat(h.send(f1)).isEqualTo(Verdict.CONTINUE);
    byte[] p = h.only();
    assertThat(Bytes.u16(p, 2)).isEqualTo(20 + l4.length);
    assertThat(Bytes.u16(p, 4)).isEqualTo(0x4242); // low 16 bits of the Fragment Header id
    assertThat(Bytes.u16(p, 6) & 0x4000).isZero(); // DF clear: the IPv4 side may fragment
    assertThat(l4ChecksumOk(p)).isTrue();
  }

  @Test
  void largeIpv4WithoutDfBecomesIpv6Fragments() {
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.only();
    byte[] payload = new byte[2000];
    Arrays.fill(payload, (byte) 7);
    byte[] big = v4(SERVER4, POOL4, 17, 64, 0x77, 0, udp(53, 5000, payload));
    assertThat(h.send(big)).isEqualTo(Verdict.CONSUMED);
    assertThat(h.out).hasSize(2);
    byte[] a = h.out.get(0);
    byte[] b = h.out.get(1);
    assertThat(a.length).isLessThanOrEqualTo(1280);
    assertThat(a[6]).isEqualTo((byte) 44);
    assertThat(Bytes.i32(a, 44)).isEqualTo(0x77);
    assertThat(Bytes.u16(a, 42) & 1).isEqualTo(1);
    assertThat(Bytes.u16(b, 42) & 0xfff8).isEqualTo(a.length - 48);
    PcapCheck.record("fragment-4to6-a", a);
    PcapCheck.record("fragment-4to6-b", b);
  }

  @Test
  void ipv4FragmentsAreReassembled() {
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.only();
    byte[] payload = new byte[1000];
    byte[] whole = v4(SERVER4, POOL4, 17, 64, 0x99, 0, udp(53, 5000, payload));
    byte[] l4 = Arrays.copyOfRange(whole, 20, whole.length);
    byte[] f1 = v4(SERVER4, POOL4, 17, 64, 0x99, 0x2000, Arrays.copyOfRange(l4, 0, 512));
    byte[] f2 = v4(SERVER4, POOL4, 17, 64, 0x99, 512 / 8, Arrays.copyOfRange(l4, 512, l4.length));
    assertThat(h.send(f1)).isEqualTo(Verdict.CONSUMED);
    assertThat(h.send(f2)).isEqualTo(Verdict.CONTINUE);
    byte[] p = h.only();
    assertThat(Bytes.u16(p, 4)).isEqualTo(l4.length);
    assertThat(l4ChecksumOk(p)).isTrue();
  }

  @Test
  void overlappingFragmentsAreDropped() {
    byte[] whole = v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, new byte[2000]));
    byte[] l4 = Arrays.copyOfRange(whole, 40, whole.length);
    h.send(frag6(whole, l4, 0, 1008, true));
    assertThat(h.send(frag6(whole, l4, 1000, l4.length - 1000, false))).isEqualTo(Verdict.DROP);
    assertThat(h.counters.dropped(DropReason.FRAGMENT_INVALID)).isEqualTo(1);
  }

  @Test
  void hairpinningReachesTheOtherIpv6Host() {
    // host B is reachable through a static binding 198.51.100.1#8080
    h.state.addStatic(net.tinyisp.nat64.config.StaticBibEntry.parse("udp 2001:db8:1::20#80 198.51.100.1#8080"));
    assertThat(h.send(v6(CLIENT, "2001:db8:64::c633:6401", 17, 64, udp(5000, 8080, HELLO))))
        .isEqualTo(Verdict.CONTINUE);
    byte[] p = h.only();
    assertThat(p[0] >> 4).isEqualTo(6);
    assertThat(Arrays.copyOfRange(p, 24, 40)).isEqualTo(addr("2001:db8:1::20"));
    assertThat(Arrays.copyOfRange(p, 8, 24)).isEqualTo(addr("2001:db8:64::c633:6401"));
    assertThat(Bytes.u16(p, 42)).isEqualTo(80);
    assertThat(l4ChecksumOk(p)).isTrue();
  }

  @Test
  void timeExceededAboutAnEchoRestoresTheIdentifierAndItsChecksum() {
    h.send(v6(CLIENT, SERVER6, 58, 3, echo(128, 0x4242, 9, HELLO)));
    byte[] sent = h.only();
    h.send(v4("198.51.100.254", POOL4, 1, 64, 0, 0, icmpError(11, 0, 0, sent)));
    byte[] p = h.only();
    assertThat(p[40] & 0xff).isEqualTo(3);
    byte[] inner = Arrays.copyOfRange(p, 48, p.length);
    assertThat(inner[40] & 0xff).isEqualTo(128);
    assertThat(Bytes.u16(inner, 44)).isEqualTo(0x4242);
    assertThat(l4ChecksumOk(inner)).isTrue(); // pseudo-header added back incrementally (RFC 1624)
    assertThat(l4ChecksumOk(p)).isTrue();
  }

  @Test
  void ttlOneFromTheIpv4SideIsAnsweredWithTimeExceeded() {
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.only();
    assertThat(h.send(v4(SERVER4, POOL4, 17, 1, 0, 0, udp(53, 5000, HELLO)))).isEqualTo(Verdict.DROP);
    byte[] p = h.only();
    assertThat(p[9]).isEqualTo((byte) 1);
    assertThat(p[20]).isEqualTo((byte) 11);
    assertThat(Arrays.copyOfRange(p, 12, 16)).isEqualTo(addr(POOL4));
    assertThat(Arrays.copyOfRange(p, 16, 20)).isEqualTo(addr(SERVER4));
    assertThat(ipv4HeaderChecksumOk(p)).isTrue();
    assertThat(l4ChecksumOk(p)).isTrue();
  }

  @Test
  void nonTranslatableIcmpv6IsCountedNotForwarded() {
    assertThat(h.send(v6(CLIENT, SERVER6, 58, 64, echo(135, 0, 0, new byte[16])))).isEqualTo(Verdict.UNTRANSLATABLE);
    assertThat(h.counters.dropped(DropReason.ICMP_UNTRANSLATABLE)).isEqualTo(1);
    assertThat(h.send(v6(CLIENT, "2001:db8:99::1", 17, 64, udp(1, 2, HELLO)))).isEqualTo(Verdict.DROP);
    assertThat(h.counters.dropped(DropReason.NOT_POOL6)).isEqualTo(1);
  }

  static byte[] frag6(byte[] whole, byte[] l4, int off, int len, boolean more) {
    ByteBuffer b = ByteBuffer.allocate(48 + len);
    b.put(whole, 0, 40);
    b.putShort(4, (short) (8 + len));
    b.put(6, (byte) 44);
    b.position(40);
    b.put((byte) 17).put((byte) 0).putShort((short) (off | (more ? 1 : 0))).putInt(0x00014242);
    b.put(l4, off, len);
    return b.array();
  }
}
