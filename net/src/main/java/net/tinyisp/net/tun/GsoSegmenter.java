package net.tinyisp.net.tun;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.tinyisp.net.NetDropReason;
import net.tinyisp.net.checksum.InternetChecksum;
import net.tinyisp.net.header.Ipv4Header;
import net.tinyisp.net.header.Ipv6Header;
import net.tinyisp.net.header.TcpHeader;
import net.tinyisp.net.header.UdpHeader;

/**
 * Software GSO: cuts a super-packet read from a TUN device with offloads into MTU-sized packets, each with complete
 * headers and checksums, the way the kernel's {@code tcp_gso_segment}/{@code __udp_gso_segment} would.
 *
 * <p>Per segment: the headers are copied; IPv4 gets its total length, an identification incremented per segment
 * (as Linux does for TSO) and a new header checksum; IPv6 its payload length; TCP its sequence number advanced by
 * the bytes before it, FIN and PSH only on the last segment and CWR only on the first (RFC 3168 §6.1.2); UDP
 * (GSO_UDP_L4, RFC 9000-style datagram trains) its length. The L4 checksum is computed in full for each segment.
 *
 * <p>One instance per packet thread: it holds reusable header views and the reason of its last drop, and
 * allocates nothing per packet. Paths that can pass the super-packet on whole (the NAT64 TUN-to-TUN path) should
 * translate headers once and write it back with an adjusted {@link VirtioNetHeader} instead.
 */
public final class GsoSegmenter {
  /** Receives each finished segment; the segment's bytes are valid only during the call. */
  @FunctionalInterface
  public interface Sink {
    void accept(MemorySegment packet, int length) throws Exception;
  }

  private final Ipv4Header ip4 = new Ipv4Header();
  private final Ipv6Header ip6 = new Ipv6Header();
  private final TcpHeader tcp = new TcpHeader();
  private final UdpHeader udp = new UdpHeader();
  private NetDropReason lastDrop;

  /** Why the last call returned 0, or null after a successful call. */
  public NetDropReason lastDrop() {
    return lastDrop;
  }

  /**
   * Handles a packet as read from a TUN queue with a virtio header: {@code buffer} holds the 10-byte header at 0 and
   * the IP packet after it, {@code readLength} bytes in all. A packet without GSO is passed to the sink once (its
   * partial checksum completed when flagged); a super-packet is segmented into {@code out}. Returns the number of
   * packets passed to the sink, or 0 with {@link #lastDrop()} set.
   */
  public int process(MemorySegment buffer, int readLength, MemorySegment out, Sink sink) throws Exception {
    lastDrop = null;
    int length = readLength - VirtioNetHeader.LENGTH;
    if (length <= 0) {
      return drop(NetDropReason.GSO_MALFORMED);
    }
    int flags = VirtioNetHeader.flags(buffer, 0);
    int gsoType = VirtioNetHeader.gsoType(buffer, 0) & ~VirtioNetHeader.GSO_ECN;
    long pkt = VirtioNetHeader.LENGTH;
    if (gsoType == VirtioNetHeader.GSO_NONE) {
      if ((flags & VirtioNetHeader.F_NEEDS_CSUM) != 0 && !ChecksumOffload.complete(buffer, pkt, length,
          VirtioNetHeader.csumStart(buffer, 0), VirtioNetHeader.csumOffset(buffer, 0))) {
        return drop(NetDropReason.CSUM_RANGE_INVALID);
      }
      sink.accept(buffer.asSlice(pkt, length), length);
      return 1;
    }
    return segment(buffer, pkt, length, gsoType, VirtioNetHeader.gsoSize(buffer, 0), out, sink);
  }

  /**
   * Segments the IP packet at {@code packetOffset} ({@code length} bytes) with the given GSO type and size into
   * {@code out} (at least MTU bytes). Returns the segment count or 0 with {@link #lastDrop()} set.
   */
  public int segment(MemorySegment in, long packetOffset, int length, int gsoType, int gsoSize, MemorySegment out,
      Sink sink) throws Exception {
    lastDrop = null;
    if (gsoSize == 0 || length < 1) {
      return drop(NetDropReason.GSO_MALFORMED);
    }
    int version = (in.get(ValueLayout.JAVA_BYTE, packetOffset) & 0xff) >>> 4;
    int protocol;
    long l4;
    if (version == 4) {
      ip4.wrap(in, packetOffset);
      if (!ip4.valid(length) || ip4.isFragment()) {
        return drop(NetDropReason.GSO_MALFORMED);
      }
      length = ip4.totalLength();
      protocol = ip4.protocol();
      l4 = ip4.payloadOffset();
    } else if (version == 6) {
      ip6.wrap(in, packetOffset);
      if (!ip6.valid(length) || !ip6.walk(length) || ip6.fragmentHeaderOffset() >= 0) {
        return drop(NetDropReason.GSO_MALFORMED);
      }
      length = Ipv6Header.LENGTH + ip6.payloadLength();
      protocol = ip6.upperProtocol();
      l4 = ip6.upperOffset();
    } else {
      return drop(NetDropReason.GSO_MALFORMED);
    }
    boolean isTcp;
    switch (gsoType) {
      case VirtioNetHeader.GSO_TCPV4 -> {
        if (version != 4 || protocol != InternetChecksum.PROTO_TCP) {
          return drop(NetDropReason.GSO_MALFORMED);
        }
        isTcp = true;
      }
      case VirtioNetHeader.GSO_TCPV6 -> {
        if (version != 6 || protocol != InternetChecksum.PROTO_TCP) {
          return drop(NetDropReason.GSO_MALFORMED);
        }
        isTcp = true;
      }
      case VirtioNetHeader.GSO_UDP_L4 -> {
        if (protocol != InternetChecksum.PROTO_UDP) {
          return drop(NetDropReason.GSO_MALFORMED);
        }
        isTcp = false;
      }
      default -> {
        return drop(NetDropReason.GSO_UNSUPPORTED_TYPE);
      }
    }
    long l4Available = packetOffset + length - l4;
    int l4HeaderLength;
    if (isTcp) {
      tcp.wrap(in, l4);
      if (!tcp.valid(l4Available)) {
        return drop(NetDropReason.GSO_MALFORMED);
      }
      l4HeaderLength = tcp.headerLength();
    } else {
      if (l4Available < UdpHeader.LENGTH) {
        return drop(NetDropReason.GSO_MALFORMED);
      }
      l4HeaderLength = UdpHeader.LENGTH;
    }
    int headerLength = (int) (l4 - packetOffset) + l4HeaderLength;
    int payload = length - headerLength;
    if (payload <= 0) {
      return drop(NetDropReason.GSO_MALFORMED);
    }
    int segments = (payload + gsoSize - 1) / gsoSize;
    if (headerLength + (long) Math.min(gsoSize, payload) > out.byteSize()) {
      return drop(NetDropReason.GSO_OUTPUT_TOO_SMALL);
    }
    int firstSeq = isTcp ? tcp.sequenceNumber() : 0;
    int tcpFlags = isTcp ? tcp.flags() : 0;
    int firstId = version == 4 ? ip4.identification() : 0;
    long outL4 = l4 - packetOffset;
    for (int i = 0; i < segments; i++) {
      int start = i * gsoSize;
      int chunk = Math.min(gsoSize, payload - start);
      MemorySegment.copy(in, packetOffset, out, 0, headerLength);
      MemorySegment.copy(in, packetOffset + headerLength + start, out, headerLength, chunk);
      int segLength = headerLength + chunk;
      int l4Length = segLength - (int) outL4;
      long pseudo;
      if (version == 4) {
        ip4.wrap(out, 0).totalLength(segLength).identification((firstId + i) & 0xffff).updateHeaderChecksum();
        pseudo = ip4.pseudoHeaderSum(l4Length);
        ip4.wrap(in, packetOffset);
      } else {
        ip6.wrap(out, 0).payloadLength(segLength - Ipv6Header.LENGTH);
        pseudo = ip6.pseudoHeaderSum(protocol, l4Length);
      }
      if (isTcp) {
        int f = tcpFlags;
        if (i < segments - 1) {
          f &= ~(TcpHeader.FIN | TcpHeader.PSH);
        }
        if (i > 0) {
          f &= ~TcpHeader.CWR;
        }
        tcp.wrap(out, outL4).sequenceNumber(firstSeq + start).flags(f).updateChecksum(pseudo, l4Length);
        tcp.wrap(in, l4);
      } else {
        udp.wrap(out, outL4).length(l4Length).updateChecksum(pseudo);
      }
      sink.accept(out, segLength);
    }
    return segments;
  }

  private int drop(NetDropReason reason) {
    lastDrop = reason;
    return 0;
  }
}
