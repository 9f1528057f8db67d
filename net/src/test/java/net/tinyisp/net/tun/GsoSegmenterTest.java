package net.tinyisp.net.tun;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.net.NetDropReason;
import net.tinyisp.net.header.Ipv4Header;
import net.tinyisp.net.header.Ipv6Header;
import net.tinyisp.net.header.TcpHeader;
import net.tinyisp.net.header.UdpHeader;
import org.junit.jupiter.api.Test;

class GsoSegmenterTest {
  private final GsoSegmenter gso = new GsoSegmenter();
  private final MemorySegment out = Arena.ofAuto().allocate(1500);

  /** Copies each segment the sink sees. */
  private List<byte[]> run(MemorySegment superPacket) throws Exception {
    List<byte[]> segs = new ArrayList<>();
    int n = gso.process(superPacket, (int) superPacket.byteSize(), out,
        (seg, len) -> segs.add(seg.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE)));
    assertThat(n).as("drop %s", gso.lastDrop()).isEqualTo(segs.size());
    return segs;
  }

  @Test
  void tcpv4SuperPacketBecomesMssSizedSegments() throws Exception {
    int flags = TcpHeader.ACK | TcpHeader.PSH | TcpHeader.FIN | TcpHeader.CWR;
    List<byte[]> segs = run(SuperPackets.tcp4(3500, 1000, flags, 0xfffffc00));
    assertThat(segs).hasSize(4);
    int payloadPos = 0;
    for (int i = 0; i < segs.size(); i++) {
      MemorySegment s = MemorySegment.ofArray(segs.get(i));
      Ipv4Header ip = new Ipv4Header().wrap(s, 0);
      assertThat(ip.valid(s.byteSize())).isTrue();
      assertThat(ip.headerChecksumValid()).isTrue();
      int chunk = i < 3 ? 1000 : 500;
      assertThat(ip.totalLength()).isEqualTo(40 + chunk);
      assertThat(ip.identification()).isEqualTo(0x1000 + i);
      TcpHeader t = new TcpHeader().wrap(s, 20);
      // sequence numbers wrap past 2^32 (RFC 9293 §3.4 modulo arithmetic)
      assertThat(t.sequenceNumber()).isEqualTo(0xfffffc00 + 1000 * i);
      assertThat(t.has(TcpHeader.FIN)).isEqualTo(i == 3);
      assertThat(t.has(TcpHeader.PSH)).isEqualTo(i == 3);
      assertThat(t.has(TcpHeader.CWR)).isEqualTo(i == 0);
      assertThat(t.has(TcpHeader.ACK)).isTrue();
      assertThat(t.checksumValid(ip.pseudoHeaderSum(20 + chunk), 20 + chunk)).isTrue();
      for (int k = 0; k < chunk; k++) {
        assertThat(segs.get(i)[40 + k]).isEqualTo(SuperPackets.payloadByte(payloadPos++));
      }
    }
    assertThat(payloadPos).isEqualTo(3500);
  }

  @Test
  void tcpv6SuperPacketWithExtensionHeaderAndOptions() throws Exception {
    List<byte[]> segs = run(SuperPackets.tcp6WithDestOpts(2 * 1208, 1208, TcpHeader.ACK | TcpHeader.PSH, 5));
    assertThat(segs).hasSize(2);
    for (int i = 0; i < 2; i++) {
      MemorySegment s = MemorySegment.ofArray(segs.get(i));
      Ipv6Header ip = new Ipv6Header().wrap(s, 0);
      assertThat(ip.valid(s.byteSize()) && ip.walk(s.byteSize())).isTrue();
      assertThat(s.byteSize()).isEqualTo(40 + 8 + 32 + 1208);
      assertThat(ip.flowLabel()).isEqualTo(0x12345);
      assertThat(ip.upperOffset()).isEqualTo(48);
      TcpHeader t = new TcpHeader().wrap(s, 48);
      assertThat(t.sequenceNumber()).isEqualTo(5 + 1208 * i);
      assertThat(t.has(TcpHeader.PSH)).isEqualTo(i == 1);
      assertThat(t.checksumValid(ip.pseudoHeaderSum(6, ip.upperLength()), ip.upperLength())).isTrue();
    }
  }

  @Test
  void udpL4OverIpv6AndIpv4() throws Exception {
    List<byte[]> six = run(SuperPackets.udp6(3 * 1200 + 1, 1200));
    assertThat(six).hasSize(4);
    MemorySegment last = MemorySegment.ofArray(six.get(3));
    Ipv6Header ip = new Ipv6Header().wrap(last, 0);
    UdpHeader u = new UdpHeader().wrap(last, 40);
    assertThat(u.length()).isEqualTo(9);
    assertThat(ip.payloadLength()).isEqualTo(9);
    assertThat(u.checksumValid(ip.pseudoHeaderSum(17, 9))).isTrue();
    assertThat(last.get(ValueLayout.JAVA_BYTE, 48)).isEqualTo(SuperPackets.payloadByte(3600));

    List<byte[]> four = run(SuperPackets.udp4(2000, 1400));
    assertThat(four).hasSize(2);
    for (byte[] b : four) {
      MemorySegment s = MemorySegment.ofArray(b);
      Ipv4Header ip4 = new Ipv4Header().wrap(s, 0);
      UdpHeader u4 = new UdpHeader().wrap(s, 20);
      assertThat(ip4.headerChecksumValid()).isTrue();
      assertThat(u4.length()).isEqualTo(ip4.totalLength() - 20);
      assertThat(u4.checksumValid(ip4.pseudoHeaderSum(u4.length()))).isTrue();
    }
  }

  @Test
  void payloadNoLargerThanGsoSizeGivesOneSegment() throws Exception {
    List<byte[]> segs = run(SuperPackets.tcp4(1000, 1000, TcpHeader.ACK, 1));
    assertThat(segs).hasSize(1);
  }

  @Test
  void partialChecksumWithoutGsoIsCompleted() throws Exception {
    MemorySegment b = SuperPackets.udp6(100, 0);
    VirtioNetHeader.gsoType(b, 0, VirtioNetHeader.GSO_NONE);
    List<byte[]> segs = run(b);
    assertThat(segs).hasSize(1);
    MemorySegment s = MemorySegment.ofArray(segs.getFirst());
    Ipv6Header ip = new Ipv6Header().wrap(s, 0);
    assertThat(new UdpHeader().wrap(s, 40).checksumValid(ip.pseudoHeaderSum(17, 108))).isTrue();
  }

  @Test
  void checksumRangeOutsidePacketIsDropped() throws Exception {
    MemorySegment b = SuperPackets.udp6(100, 0);
    VirtioNetHeader.gsoType(b, 0, VirtioNetHeader.GSO_NONE);
    VirtioNetHeader.csumStart(b, 0, 147);
    assertThat(gso.process(b, (int) b.byteSize(), out, (s, l) -> { })).isZero();
    assertThat(gso.lastDrop()).isEqualTo(NetDropReason.CSUM_RANGE_INVALID);
  }

  @Test
  void malformedAndUnsupportedAreNamedDrops() throws Exception {
    MemorySegment v4 = SuperPackets.tcp4(3000, 1000, TcpHeader.ACK, 1);
    VirtioNetHeader.gsoType(v4, 0, VirtioNetHeader.GSO_TCPV6);
    assertDrop(v4, NetDropReason.GSO_MALFORMED);

    MemorySegment ufo = SuperPackets.udp4(3000, 1000);
    VirtioNetHeader.gsoType(ufo, 0, VirtioNetHeader.GSO_UDP);
    assertDrop(ufo, NetDropReason.GSO_UNSUPPORTED_TYPE);

    MemorySegment zero = SuperPackets.tcp4(3000, 1000, TcpHeader.ACK, 1);
    VirtioNetHeader.gsoSize(zero, 0, 0);
    assertDrop(zero, NetDropReason.GSO_MALFORMED);

    MemorySegment truncated = SuperPackets.tcp4(3000, 1000, TcpHeader.ACK, 1);
    assertThat(gso.process(truncated, 2000, out, (s, l) -> { })).isZero();
    assertThat(gso.lastDrop()).isEqualTo(NetDropReason.GSO_MALFORMED);

    MemorySegment big = SuperPackets.tcp4(6000, 3000, TcpHeader.ACK, 1);
    assertDrop(big, NetDropReason.GSO_OUTPUT_TOO_SMALL);
  }

  private void assertDrop(MemorySegment b, NetDropReason reason) throws Exception {
    assertThat(gso.process(b, (int) b.byteSize(), out, (s, l) -> { })).isZero();
    assertThat(gso.lastDrop()).isEqualTo(reason);
  }
}
