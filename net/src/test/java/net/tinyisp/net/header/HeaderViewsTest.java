package net.tinyisp.net.header;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import net.tinyisp.net.checksum.InternetChecksum;
import net.tinyisp.net.testing.Hex;
import org.junit.jupiter.api.Test;

class HeaderViewsTest {
  /** tcpdump -i lo -xx of `ping -6 -c1 -s 12 ::1` (echo request id 0x4f73 seq 1, kernel-computed checksum). */
  static final String PING6 = """
      6004 b2e7 | 0014 3a40            # v6, tc 0, flow 0x4b2e7 | payload 20, next 58, hop 64
      0000 0000 0000 0000 0000 0000 0000 0001   # source ::1
      0000 0000 0000 0000 0000 0000 0000 0001   # destination ::1
      8000 1217 | 4f73 0001            # echo request, checksum 0x1217 | id, seq
      0001 0203 0405 0607 0809 0a0b     # 12 bytes of data
      """;

  /** tcpdump -i lo -xx of a SYN 127.0.0.1:47172 -> 127.0.0.1:5999 (TCP checksum partial: loopback). */
  static final String SYN4 = """
      4500 003c | e43a 4000 | 4006 587f    # v4 ihl 5, len 60 | id, DF | ttl 64, tcp, hdr csum
      7f00 0001 | 7f00 0001                # 127.0.0.1 -> 127.0.0.1
      b844 176f | a1f5 edbc | 0000 0000    # ports 47172 -> 5999 | seq | ack
      a002 ffd7 | fe30 0000                # doff 10, SYN, win 65495 | csum (pseudo only), urg
      0204 ffd7 0402 080a 98a0 5e0d 0000 0000 0103 030a   # mss, sackOK, TS, nop, wscale
      """;

  /** Hand-built: IPv6 + hop-by-hop (8) + destination options (16) + fragment (8) + UDP. */
  static final String V6_EXT_CHAIN = """
      6000 0000 | 002c 0040                # payload 44, next hop-by-hop, hop 64
      2001 0db8 0000 0000 0000 0000 0000 0001
      2001 0db8 0000 0000 0000 0000 0000 0002
      3c00 0000 0000 0000                  # HBH: next 60 (dst opts), len 0 -> 8 bytes, PadN
      2c01 0104 0000 0000 0000 0000 0000 0000   # dst opts: next 44 (fragment), len 1 -> 16 bytes
      1100 00a9 1234 5678                  # fragment: next 17, offset 21*8=168, M=1, id 0x12345678
      0035 0035 000c 0000 6869 6869        # UDP 53 -> 53 len 12, 4 data bytes
      """;

  @Test
  void ipv6AndIcmpv6OnCapturedPing() {
    MemorySegment p = Hex.segment(PING6);
    Ipv6Header ip = new Ipv6Header().wrap(p, 0);
    assertThat(ip.valid(p.byteSize())).isTrue();
    assertThat(ip.version()).isEqualTo(6);
    assertThat(ip.trafficClass()).isZero();
    assertThat(ip.flowLabel()).isEqualTo(0x4b2e7);
    assertThat(ip.payloadLength()).isEqualTo(20);
    assertThat(ip.hopLimit()).isEqualTo(64);
    assertThat(ip.sourceHigh()).isZero();
    assertThat(ip.sourceLow()).isEqualTo(1);
    assertThat(ip.walk(p.byteSize())).isTrue();
    assertThat(ip.upperProtocol()).isEqualTo(58);
    assertThat(ip.upperOffset()).isEqualTo(40);
    assertThat(ip.fragmentHeaderOffset()).isEqualTo(-1);
    assertThat(ip.upperLength()).isEqualTo(20);

    Icmpv6Header icmp = new Icmpv6Header().wrap(p, ip.upperOffset());
    assertThat(icmp.type()).isEqualTo(Icmpv6Header.ECHO_REQUEST);
    assertThat(icmp.isError()).isFalse();
    assertThat(icmp.identifier()).isEqualTo(0x4f73);
    assertThat(icmp.sequenceNumber()).isEqualTo(1);
    long pseudo = ip.pseudoHeaderSum(58, 20);
    assertThat(icmp.checksumValid(pseudo, 20)).isTrue();
    assertThat(icmp.checksum()).isEqualTo(0x1217);
    icmp.updateChecksum(pseudo, 20);
    assertThat(icmp.checksum()).isEqualTo(0x1217);

    // turning it into the reply: type changes by one word, RFC 1624 update equals recomputation
    int updated = InternetChecksum.update16(icmp.checksum(), 0x8000, 0x8100);
    icmp.type(Icmpv6Header.ECHO_REPLY).updateChecksum(pseudo, 20);
    assertThat(icmp.checksum()).isEqualTo(updated);
  }

  @Test
  void ipv4AndTcpOnCapturedSyn() {
    MemorySegment p = Hex.segment(SYN4);
    Ipv4Header ip = new Ipv4Header().wrap(p, 0);
    assertThat(ip.valid(p.byteSize())).isTrue();
    assertThat(ip.headerLength()).isEqualTo(20);
    assertThat(ip.totalLength()).isEqualTo(60);
    assertThat(ip.identification()).isEqualTo(0xe43a);
    assertThat(ip.dontFragment()).isTrue();
    assertThat(ip.isFragment()).isFalse();
    assertThat(ip.ttl()).isEqualTo(64);
    assertThat(ip.protocol()).isEqualTo(6);
    assertThat(ip.source()).isEqualTo(0x7f000001);
    assertThat(ip.headerChecksumValid()).isTrue();

    TcpHeader tcp = new TcpHeader().wrap(p, ip.payloadOffset());
    assertThat(tcp.valid(ip.payloadLength())).isTrue();
    assertThat(tcp.sourcePort()).isEqualTo(47172);
    assertThat(tcp.destinationPort()).isEqualTo(5999);
    assertThat(Integer.toUnsignedLong(tcp.sequenceNumber())).isEqualTo(2717248956L);
    assertThat(tcp.headerLength()).isEqualTo(40);
    assertThat(tcp.flags()).isEqualTo(TcpHeader.SYN);
    assertThat(tcp.has(TcpHeader.ACK)).isFalse();
    assertThat(tcp.window()).isEqualTo(65495);
    // the field holds the folded pseudo-header sum (CHECKSUM_PARTIAL on lo); finishing gives a valid checksum
    long pseudo = ip.pseudoHeaderSum(ip.payloadLength());
    assertThat(tcp.checksum()).isEqualTo(InternetChecksum.fold(pseudo));
    tcp.updateChecksum(pseudo, ip.payloadLength());
    assertThat(tcp.checksumValid(pseudo, ip.payloadLength())).isTrue();
    assertThat(tcp.checksum()).isEqualTo(Hex.referenceChecksum(withZeroTcpChecksum(p), 20, 40, pseudo));

    ip.ttl(63).updateHeaderChecksum();
    assertThat(ip.headerChecksum()).isEqualTo(InternetChecksum.update16(0x587f, 0x4006, 0x3f06));
  }

  private static byte[] withZeroTcpChecksum(MemorySegment p) {
    byte[] b = p.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    b[36] = 0;
    b[37] = 0;
    return b;
  }

  @Test
  void ipv6ExtensionWalkFindsFragmentAndUpperLayer() {
    MemorySegment p = Hex.segment(V6_EXT_CHAIN);
    Ipv6Header ip = new Ipv6Header().wrap(p, 0);
    assertThat(ip.valid(p.byteSize())).isTrue();
    assertThat(ip.walk(p.byteSize())).isTrue();
    assertThat(ip.upperProtocol()).isEqualTo(17);
    assertThat(ip.upperOffset()).isEqualTo(40 + 8 + 16 + 8);
    assertThat(ip.upperNextHeaderFieldOffset()).isEqualTo(40 + 8 + 16);
    assertThat(ip.fragmentHeaderOffset()).isEqualTo(40 + 8 + 16);
    assertThat(ip.fragmentOffset()).isEqualTo(168);
    assertThat(ip.moreFragments()).isTrue();
    assertThat(ip.fragmentIdentification()).isEqualTo(0x12345678);
    UdpHeader udp = new UdpHeader().wrap(p, ip.upperOffset());
    assertThat(udp.sourcePort()).isEqualTo(53);
    assertThat(udp.length()).isEqualTo(12);
  }

  @Test
  void ipv6WalkRejectsTruncatedChain() {
    MemorySegment p = Hex.segment(V6_EXT_CHAIN);
    Ipv6Header ip = new Ipv6Header().wrap(p, 0);
    // cut inside the destination options header
    assertThat(ip.walk(40 + 8 + 10)).isFalse();
    // payload length claims more than the bytes
    assertThat(ip.valid(60)).isFalse();
  }

  @Test
  void ipv6WalkRejectsEndlessChain() {
    MemorySegment p = Arena.ofAuto().allocate(40 + 8 * 20);
    Ipv6Header ip = new Ipv6Header().wrap(p, 0);
    ip.versionClassLabel(0, 0).payloadLength(8 * 20).nextHeader(Ipv6Header.DESTINATION_OPTIONS).hopLimit(1);
    for (int i = 0; i < 20; i++) {
      p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 40 + 8 * i, (byte) Ipv6Header.DESTINATION_OPTIONS);
    }
    assertThat(ip.walk(p.byteSize())).isFalse();
  }

  @Test
  void ipv4RejectsBadLengths() {
    MemorySegment p = Hex.segment(SYN4);
    Ipv4Header ip = new Ipv4Header().wrap(p, 0);
    assertThat(ip.valid(59)).isFalse();
    ip.versionAndHeaderLength(16);
    assertThat(ip.valid(60)).isFalse();
  }

  @Test
  void udpChecksumZeroIsSentAsAllOnes() {
    // RFC 768: a computed zero goes on the wire as 0xffff. Pick data so that the sum is 0xffff.
    MemorySegment p = Arena.ofAuto().allocate(10);
    UdpHeader udp = new UdpHeader().wrap(p, 0);
    udp.sourcePort(0).destinationPort(0).length(10);
    // sum of header words = 10 (length); data word makes total 0xffff
    p.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 8,
        (short) (0xffff - 10));
    udp.updateChecksum(0);
    assertThat(udp.checksum()).isEqualTo(0xffff);
    assertThat(udp.checksumValid(0)).isTrue();
  }

  @Test
  void icmpv4EchoChecksum() {
    MemorySegment p = Hex.segment("0800 0000 1234 0001 6162 6364");
    Icmpv4Header icmp = new Icmpv4Header().wrap(p, 0);
    icmp.updateChecksum(12);
    assertThat(icmp.checksumValid(12)).isTrue();
    assertThat(icmp.checksum()).isEqualTo(Hex.referenceChecksum(Hex.bytes("0800 0000 1234 0001 6162 6364"), 0, 12,
        0));
    assertThat(icmp.identifier()).isEqualTo(0x1234);
    icmp.type(Icmpv4Header.DESTINATION_UNREACHABLE).code(4).restOfHeader(0).nextHopMtu(1280);
    assertThat(icmp.nextHopMtu()).isEqualTo(1280);
  }
}
