package net.tinyisp.dns.server.xdp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * Ethernet + IPv4/IPv6 + UDP framing for DNS served from AF_XDP frames: {@link #parse} checks a received frame and
 * finds its DNS payload, {@link #writeReply} writes the answer's headers by mirroring the query's (MACs, addresses
 * and ports swapped) and computes the checksums. Pure: segments in, offsets and lengths out.
 *
 * <p>What the XDP program already filtered (EtherType, IPv4 without options and not fragmented, IPv6 with UDP as the
 * first next header) is checked again here, so a frame that does not fit is a counted drop, never a bad read. The
 * IPv4 header checksum is verified; the UDP checksum of queries is not (frames from a local stack over veth carry a
 * partial one, as a NIC with checksum offload would fix), which Knot DNS's XDP mode does alike.
 */
public final class UdpFrame {
  static final int ETH = 14;
  static final int IPV4 = 20;
  static final int IPV6 = 40;
  static final int UDP = 8;
  /** parse results: the frame is not one to answer. */
  public static final int MALFORMED = -1;

  private static final ValueLayout.OfShort BE16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private UdpFrame() {}

  /** Header bytes before the DNS payload. */
  public static int headerLength(boolean ipv6) {
    return ETH + (ipv6 ? IPV6 : IPV4) + UDP;
  }

  public static boolean isIpv6(MemorySegment frame, long at) {
    return u16(frame, at + 12) == 0x86dd;
  }

  /**
   * The DNS payload length of the frame of {@code length} bytes at {@code at} (the payload starts at
   * {@link #headerLength}), or {@link #MALFORMED}.
   */
  public static int parse(MemorySegment frame, long at, int length) {
    if (length < ETH + IPV4 + UDP) return MALFORMED;
    int type = u16(frame, at + 12);
    if (type == 0x0800) {
      long ip = at + ETH;
      if ((frame.get(ValueLayout.JAVA_BYTE, ip) & 0xff) != 0x45) return MALFORMED;
      int total = u16(frame, ip + 2);
      if (total < IPV4 + UDP || total > length - ETH) return MALFORMED;
      if ((u16(frame, ip + 6) & 0x3fff) != 0) return MALFORMED; // a fragment
      if ((frame.get(ValueLayout.JAVA_BYTE, ip + 9) & 0xff) != 17) return MALFORMED;
      if (InternetChecksum.checksum(frame, ip, IPV4) != 0) return MALFORMED;
      int udpLength = u16(frame, ip + IPV4 + 4);
      if (udpLength < UDP || udpLength > total - IPV4) return MALFORMED;
      return udpLength - UDP;
    }
    if (type == 0x86dd) {
      if (length < ETH + IPV6 + UDP) return MALFORMED;
      long ip = at + ETH;
      if ((frame.get(ValueLayout.JAVA_BYTE, ip) & 0xf0) != 0x60) return MALFORMED;
      int payload = u16(frame, ip + 4);
      if (payload < UDP || payload > length - ETH - IPV6) return MALFORMED;
      if ((frame.get(ValueLayout.JAVA_BYTE, ip + 6) & 0xff) != 17) return MALFORMED;
      int udpLength = u16(frame, ip + IPV6 + 4);
      if (udpLength < UDP || udpLength > payload) return MALFORMED;
      return udpLength - UDP;
    }
    return MALFORMED;
  }

  /** The query's source address: 4 or 16 bytes into {@code out4}/{@code out16}, which is returned. */
  public static byte[] clientAddress(MemorySegment frame, long at, byte[] out4, byte[] out16) {
    if (isIpv6(frame, at)) {
      MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, at + ETH + 8, out16, 0, 16);
      return out16;
    }
    MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, at + ETH + 12, out4, 0, 4);
    return out4;
  }

  /**
   * Writes, at {@code out}, the headers of the reply to the query frame at {@code query} for a DNS payload of
   * {@code payloadLength} bytes already placed after them, and the checksums; returns the frame length.
   */
  public static int writeReply(MemorySegment q, long query, MemorySegment r, long out, int payloadLength) {
    // Ethernet: back to where it came from
    MemorySegment.copy(q, query + 6, r, out, 6);
    MemorySegment.copy(q, query, r, out + 6, 6);
    r.set(BE16, out + 12, q.get(BE16, query + 12));
    boolean v6 = isIpv6(q, query);
    long qip = query + ETH;
    long ip = out + ETH;
    int udpLength = UDP + payloadLength;
    long udp;
    long pseudo;
    if (v6) {
      r.set(BE32, ip, 0x60000000);
      r.set(BE16, ip + 4, (short) udpLength);
      r.set(ValueLayout.JAVA_BYTE, ip + 6, (byte) 17);
      r.set(ValueLayout.JAVA_BYTE, ip + 7, (byte) 64);
      MemorySegment.copy(q, qip + 24, r, ip + 8, 16);
      MemorySegment.copy(q, qip + 8, r, ip + 24, 16);
      udp = ip + IPV6;
      pseudo = InternetChecksum.pseudoHeaderV6(r, ip + 8, ip + 24, 17, udpLength);
    } else {
      r.set(BE16, ip, (short) 0x4500);
      r.set(BE16, ip + 2, (short) (IPV4 + udpLength));
      r.set(BE32, ip + 4, 0x00004000); // ID 0, DF: the answer fits the path the query came by or carries TC
      r.set(BE16, ip + 8, (short) 0x4011); // TTL 64, UDP
      r.set(BE16, ip + 10, (short) 0);
      r.set(BE32, ip + 12, q.get(BE32, qip + 16));
      r.set(BE32, ip + 16, q.get(BE32, qip + 12));
      r.set(BE16, ip + 10, (short) InternetChecksum.checksum(r, ip, IPV4));
      udp = ip + IPV4;
      pseudo = InternetChecksum.pseudoHeaderV4(r, ip + 12, ip + 16, 17, udpLength);
    }
    long qudp = qip + (v6 ? IPV6 : IPV4);
    r.set(BE16, udp, q.get(BE16, qudp + 2));
    r.set(BE16, udp + 2, q.get(BE16, qudp));
    r.set(BE16, udp + 4, (short) udpLength);
    r.set(BE16, udp + 6, (short) 0);
    int sum = InternetChecksum.finish(pseudo + InternetChecksum.sum(r, udp, udpLength));
    r.set(BE16, udp + 6, (short) (sum == 0 ? 0xffff : sum)); // RFC 768: a computed 0 is sent as all ones
    return ETH + (v6 ? IPV6 : IPV4) + udpLength;
  }

  private static int u16(MemorySegment s, long at) {
    return s.get(BE16, at) & 0xffff;
  }
}
