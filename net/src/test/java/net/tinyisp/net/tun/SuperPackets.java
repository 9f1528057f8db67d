package net.tinyisp.net.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.tinyisp.net.checksum.InternetChecksum;
import net.tinyisp.net.header.Ipv4Header;
import net.tinyisp.net.header.Ipv6Header;
import net.tinyisp.net.header.TcpHeader;
import net.tinyisp.net.header.UdpHeader;

/**
 * Builds super-packets the way the kernel hands them to a TUN reader with offloads: virtio header first, then
 * headers with the L4 checksum field holding the folded pseudo-header sum over the whole L4 length, then payload.
 * Payload byte i is {@code (byte) (i * 31 + 7)} so segments can be checked against their position.
 */
final class SuperPackets {
  static final int V4_SRC = 0xc6336401; // 198.51.100.1
  static final int V4_DST = 0xcb007102; // 203.0.113.2
  static final long V6_HIGH = 0x20010db800000000L; // 2001:db8::/64

  private SuperPackets() {}

  static byte payloadByte(int i) {
    return (byte) (i * 31 + 7);
  }

  /** Returns the buffer; its length is {@code byteSize()}. */
  static MemorySegment tcp4(int payload, int gsoSize, int tcpFlags, int firstSeq) {
    int l4 = 20;
    MemorySegment b = Arena.ofAuto().allocate(VirtioNetHeader.LENGTH + 20 + l4 + payload);
    long p = VirtioNetHeader.LENGTH;
    Ipv4Header ip = new Ipv4Header().wrap(b, p);
    ip.versionAndHeaderLength(20).tos(0).totalLength(20 + l4 + payload).identification(0x1000)
        .flagsAndFragmentOffset(Ipv4Header.FLAG_DF).ttl(64).protocol(6).source(V4_SRC).destination(V4_DST)
        .updateHeaderChecksum();
    TcpHeader t = new TcpHeader().wrap(b, p + 20);
    t.sourcePort(40000).destinationPort(80).sequenceNumber(firstSeq).acknowledgmentNumber(77).headerLength(l4)
        .flags(tcpFlags).window(500).urgentPointer(0);
    fillPayload(b, p + 20 + l4, payload);
    t.checksum(InternetChecksum.fold(ip.pseudoHeaderSum(l4 + payload)));
    new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 40, gsoSize, 20, 16)
        .write(b, 0);
    return b;
  }

  /** IPv6 with an 8-byte destination-options header before TCP, to exercise the extension walk. */
  static MemorySegment tcp6WithDestOpts(int payload, int gsoSize, int tcpFlags, int firstSeq) {
    int l4 = 32; // TCP with 12 bytes of options (NOP NOP TS)
    MemorySegment b = Arena.ofAuto().allocate(VirtioNetHeader.LENGTH + 40 + 8 + l4 + payload);
    long p = VirtioNetHeader.LENGTH;
    Ipv6Header ip = new Ipv6Header().wrap(b, p);
    ip.versionClassLabel(0, 0x12345).payloadLength(8 + l4 + payload).nextHeader(Ipv6Header.DESTINATION_OPTIONS)
        .hopLimit(64).source(V6_HIGH, 1).destination(V6_HIGH, 2);
    b.set(ValueLayout.JAVA_BYTE, p + 40, (byte) 6); // dst opts: next TCP, len 0, PadN 4
    b.set(ValueLayout.JAVA_BYTE, p + 42, (byte) 1);
    b.set(ValueLayout.JAVA_BYTE, p + 43, (byte) 4);
    TcpHeader t = new TcpHeader().wrap(b, p + 48);
    t.sourcePort(40000).destinationPort(443).sequenceNumber(firstSeq).acknowledgmentNumber(99).headerLength(l4)
        .flags(tcpFlags).window(1000).urgentPointer(0);
    b.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), p + 48 + 20, 0x0101080a);
    fillPayload(b, p + 48 + l4, payload);
    t.checksum(InternetChecksum.fold(ip.pseudoHeaderSum(6, l4 + payload)));
    new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV6, 48 + l4, gsoSize, 48, 16)
        .write(b, 0);
    return b;
  }

  static MemorySegment udp6(int payload, int gsoSize) {
    MemorySegment b = Arena.ofAuto().allocate(VirtioNetHeader.LENGTH + 40 + 8 + payload);
    long p = VirtioNetHeader.LENGTH;
    Ipv6Header ip = new Ipv6Header().wrap(b, p);
    ip.versionClassLabel(0, 0).payloadLength(8 + payload).nextHeader(17).hopLimit(64).source(V6_HIGH, 1)
        .destination(V6_HIGH, 2);
    UdpHeader u = new UdpHeader().wrap(b, p + 40);
    u.sourcePort(4433).destinationPort(443).length((8 + payload) & 0xffff);
    fillPayload(b, p + 48, payload);
    u.checksum(InternetChecksum.fold(ip.pseudoHeaderSum(17, 8 + payload)));
    new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 48, gsoSize, 40, 6).write(b, 0);
    return b;
  }

  static MemorySegment udp4(int payload, int gsoSize) {
    MemorySegment b = Arena.ofAuto().allocate(VirtioNetHeader.LENGTH + 20 + 8 + payload);
    long p = VirtioNetHeader.LENGTH;
    Ipv4Header ip = new Ipv4Header().wrap(b, p);
    ip.versionAndHeaderLength(20).totalLength(28 + payload).identification(7).flagsAndFragmentOffset(0).ttl(64)
        .protocol(17).source(V4_SRC).destination(V4_DST).updateHeaderChecksum();
    UdpHeader u = new UdpHeader().wrap(b, p + 20);
    u.sourcePort(4433).destinationPort(443).length(8 + payload);
    fillPayload(b, p + 28, payload);
    u.checksum(InternetChecksum.fold(ip.pseudoHeaderSum(8 + payload)));
    new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 28, gsoSize, 20, 6).write(b, 0);
    return b;
  }

  private static void fillPayload(MemorySegment b, long at, int n) {
    for (int i = 0; i < n; i++) {
      b.set(ValueLayout.JAVA_BYTE, at + i, payloadByte(i));
    }
  }
}
