package net.tinyisp.net.tun;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.tinyisp.net.checksum.InternetChecksum;
import net.tinyisp.net.header.Ipv4Header;
import net.tinyisp.net.header.Ipv6Header;
import net.tinyisp.net.header.UdpHeader;
import org.junit.jupiter.api.Test;

/**
 * The coalescer's frames, cut again by the software GSO that mirrors the kernel's {@code __udp_gso_segment}, must
 * give back exactly the datagrams offered (the IPv4 identification aside), per flow in order.
 */
class UsoCoalescerTest {
  private record Frame(byte[] bytes, int datagrams) {}

  private final List<Frame> frames = new ArrayList<>();
  private final UsoCoalescer coalescer = new UsoCoalescer(Arena.ofAuto(), 4, 64,
      (f, len, n) -> frames.add(new Frame(f.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE), n)));

  private static byte[] udp4(int srcPort, int payload, int seq) {
    byte[] b = new byte[28 + payload];
    MemorySegment s = MemorySegment.ofArray(b);
    Ipv4Header ip = new Ipv4Header().wrap(s, 0);
    ip.versionAndHeaderLength(20).tos(0).totalLength(b.length).identification(seq)
        .flagsAndFragmentOffset(Ipv4Header.FLAG_DF).ttl(63).protocol(17).source(0xc6336405).destination(0xcb007114)
        .updateHeaderChecksum();
    UdpHeader u = new UdpHeader().wrap(s, 20);
    u.sourcePort(srcPort).destinationPort(5201).length(8 + payload);
    for (int i = 0; i < payload; i++) b[28 + i] = (byte) (seq * 7 + i);
    u.checksum(0);
    u.checksum(InternetChecksum.finish(ip.pseudoHeaderSum(8 + payload) + InternetChecksum.sum(b, 20, 8 + payload)));
    return b;
  }

  private static byte[] udp6(int dstPort, int payload, int seq) {
    byte[] b = new byte[48 + payload];
    MemorySegment s = MemorySegment.ofArray(b);
    Ipv6Header ip = new Ipv6Header().wrap(s, 0);
    ip.versionClassLabel(0, 0).payloadLength(8 + payload).nextHeader(17).hopLimit(63)
        .source(0x20010db800010000L, 0x10).destination(0x20010db800640000L, 0xcb007114L);
    UdpHeader u = new UdpHeader().wrap(s, 40);
    u.sourcePort(5201).destinationPort(dstPort).length(8 + payload);
    for (int i = 0; i < payload; i++) b[48 + i] = (byte) (seq * 5 + i);
    u.checksum(0);
    u.checksum(InternetChecksum.finish(ip.pseudoHeaderSum(17, 8 + payload) + InternetChecksum.sum(b, 40, 8 + payload)));
    return b;
  }

  /** Every datagram the frames carry, as the kernel would emit them. */
  private List<byte[]> segmented() throws Exception {
    List<byte[]> out = new ArrayList<>();
    GsoSegmenter gso = new GsoSegmenter();
    MemorySegment scratch = Arena.ofAuto().allocate(65536);
    for (Frame f : frames) {
      MemorySegment m = Arena.ofAuto().allocate(f.bytes.length);
      MemorySegment.copy(f.bytes, 0, m, ValueLayout.JAVA_BYTE, 0, f.bytes.length);
      int n = gso.process(m, f.bytes.length, scratch,
          (seg, len) -> out.add(seg.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE)));
      assertThat(n).as("drop %s", gso.lastDrop()).isEqualTo(f.datagrams);
    }
    return out;
  }

  private static byte[] withoutIpv4Id(byte[] p) {
    byte[] c = p.clone();
    if ((c[0] & 0xf0) == 0x40) {
      c[4] = c[5] = c[10] = c[11] = 0;
    }
    return c;
  }

  private void offerAll(List<byte[]> packets) {
    for (byte[] p : packets) {
      assertThat(coalescer.offer(p, 0, p.length)).isTrue();
    }
    coalescer.flush();
  }

  @Test
  void oneFlowOfEqualDatagramsLeavesAsOneUdpL4SuperPacket() throws Exception {
    List<byte[]> in = new ArrayList<>();
    for (int i = 0; i < 10; i++) in.add(udp4(40000, 64, i));
    offerAll(in);
    assertThat(frames).hasSize(1);
    VirtioNetHeader h = VirtioNetHeader.read(MemorySegment.ofArray(frames.getFirst().bytes), 0);
    assertThat(h).isEqualTo(new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 28, 64,
        20, 6));
    assertThat(frames.getFirst().bytes.length).isEqualTo(VirtioNetHeader.LENGTH + 28 + 640);
    Ipv4Header ip = new Ipv4Header().wrap(MemorySegment.ofArray(frames.getFirst().bytes), VirtioNetHeader.LENGTH);
    assertThat(ip.totalLength()).isEqualTo(28 + 640);
    assertThat(ip.headerChecksumValid()).isTrue();
    List<byte[]> out = segmented();
    assertThat(out).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(withoutIpv4Id(out.get(i))).isEqualTo(withoutIpv4Id(in.get(i)));
      assertThat(new Ipv4Header().wrap(MemorySegment.ofArray(out.get(i)), 0).headerChecksumValid()).isTrue();
    }
    assertThat(coalescer.superPackets()).isEqualTo(1);
    assertThat(coalescer.joinedDatagrams()).isEqualTo(10);
  }

  @Test
  void interleavedIpv6FlowsKeepTheirOrderAndAShorterDatagramClosesItsGroup() throws Exception {
    List<byte[]> in = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      in.add(udp6(40001, 100, i));
      in.add(udp6(40002, 100, i));
    }
    in.add(udp6(40001, 30, 6)); // closes flow 1's group as its last segment
    in.add(udp6(40001, 100, 7)); // so this one starts a new group
    offerAll(in);
    assertThat(frames).extracting(Frame::datagrams).containsExactly(7, 1, 6);
    List<byte[]> out = segmented();
    List<byte[]> flow1In = in.stream().filter(p -> p[43] == (byte) 0x41).toList();
    List<byte[]> flow1Out = out.stream().filter(p -> p[43] == (byte) 0x41).toList();
    assertThat(flow1Out).hasSize(8);
    for (int i = 0; i < flow1In.size(); i++) {
      assertThat(flow1Out.get(i)).isEqualTo(flow1In.get(i));
    }
    assertThat(out.stream().filter(p -> p[43] == (byte) 0x42).toList())
        .usingElementComparator(Arrays::compare)
        .containsExactlyElementsOf(in.stream().filter(p -> p[43] == (byte) 0x42).toList());
  }

  @Test
  void aLoneDatagramGoesOutAsAPlainPacket() {
    byte[] p = udp4(40000, 64, 1);
    offerAll(List.of(p));
    assertThat(frames).hasSize(1);
    assertThat(VirtioNetHeader.read(MemorySegment.ofArray(frames.getFirst().bytes), 0))
        .isEqualTo(VirtioNetHeader.NONE);
    assertThat(Arrays.copyOfRange(frames.getFirst().bytes, VirtioNetHeader.LENGTH, frames.getFirst().bytes.length))
        .isEqualTo(p);
  }

  @Test
  void aLargerDatagramStartsANewGroupAndSegmentLimitsHold() throws Exception {
    List<byte[]> in = new ArrayList<>();
    in.add(udp4(40000, 64, 0));
    in.add(udp4(40000, 64, 1));
    in.add(udp4(40000, 200, 2));
    for (int i = 3; i < 3 + 70; i++) in.add(udp4(40000, 200, i));
    offerAll(in);
    // 2 of 64 bytes, then 71 of 200 bytes: 64 per super-packet at most
    assertThat(frames).extracting(Frame::datagrams).containsExactly(2, 64, 7);
    List<byte[]> out = segmented();
    assertThat(out).hasSize(in.size());
    for (int i = 0; i < in.size(); i++) {
      assertThat(withoutIpv4Id(out.get(i))).isEqualTo(withoutIpv4Id(in.get(i)));
    }
  }

  @Test
  void aSuperPacketNeverExceedsTheIpLengthLimit() throws Exception {
    List<byte[]> in = new ArrayList<>();
    for (int i = 0; i < 40; i++) in.add(udp6(40000, 1400, i));
    offerAll(in);
    for (Frame f : frames) {
      assertThat(f.bytes.length - VirtioNetHeader.LENGTH - 40).isLessThanOrEqualTo(65535);
    }
    assertThat(frames.stream().mapToInt(Frame::datagrams).sum()).isEqualTo(40);
    assertThat(segmented()).usingElementComparator(Arrays::compare).containsExactlyElementsOf(in);
  }

  @Test
  void fragmentsAndNonUdpAreLeftToTheCallerAndFragmentsFlushFirst() {
    byte[] a = udp4(40000, 64, 0);
    byte[] b = udp4(40000, 64, 1);
    assertThat(coalescer.offer(a, 0, a.length)).isTrue();
    assertThat(coalescer.offer(b, 0, b.length)).isTrue();
    byte[] tcp = udp4(40000, 64, 2);
    tcp[9] = 6;
    assertThat(coalescer.offer(tcp, 0, tcp.length)).isFalse();
    assertThat(frames).isEmpty(); // another protocol shares no flow: the group stays open
    byte[] frag = udp4(40000, 64, 3);
    frag[6] |= 0x20; // more fragments
    assertThat(coalescer.offer(frag, 0, frag.length)).isFalse();
    assertThat(frames).extracting(Frame::datagrams).containsExactly(2);
    byte[] options = new byte[32];
    options[0] = 0x46;
    options[9] = 17;
    assertThat(coalescer.offer(options, 0, options.length)).isFalse();
  }
}
