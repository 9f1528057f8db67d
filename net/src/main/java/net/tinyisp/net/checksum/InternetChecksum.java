package net.tinyisp.net.checksum;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum: RFC 1071 one's-complement sum of 16-bit big-endian words, its RFC 1624 incremental update,
 * and the IPv4 (RFC 793 §3.1, RFC 768) and IPv6 (RFC 8200 §8.1) pseudo-header sums.
 *
 * <p>Two kinds of values appear here and are kept apart by name: a <em>sum</em> is an unfolded one's-complement
 * accumulator (a non-negative {@code long}, add sums with {@code +}, fold once at the end), a <em>checksum</em> is
 * the 16-bit value written into a header ({@code ~fold(sum)}).
 *
 * <p>RFC 1071 §4.1 / §2(C): the sum is computed 8 bytes at a time. A 64-bit big-endian word is the concatenation of
 * four 16-bit words, and adding its two 32-bit halves into a 64-bit accumulator defers the carries, which folding
 * later adds back ("end-around carry"); this is byte-order independent per §2(B), so the result equals the
 * 16-bit-at-a-time sum.
 */
public final class InternetChecksum {
  private static final ValueLayout.OfLong LONG_BE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfShort SHORT_BE =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  /** IP protocol numbers that appear in pseudo headers. */
  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_ICMPV6 = 58;

  private InternetChecksum() {}

  /** One's-complement sum of {@code length} bytes at {@code offset}; an odd last byte is padded with zero. */
  public static long sum(MemorySegment seg, long offset, long length) {
    long sum = 0;
    long p = offset;
    long end = offset + length;
    // 4 x 8 bytes per iteration: fewer loop branches, independent adds
    while (end - p >= 32) {
      long a = seg.get(LONG_BE, p);
      long b = seg.get(LONG_BE, p + 8);
      long c = seg.get(LONG_BE, p + 16);
      long d = seg.get(LONG_BE, p + 24);
      sum += (a >>> 32) + (a & 0xffffffffL) + (b >>> 32) + (b & 0xffffffffL)
          + (c >>> 32) + (c & 0xffffffffL) + (d >>> 32) + (d & 0xffffffffL);
      p += 32;
    }
    while (end - p >= 8) {
      long a = seg.get(LONG_BE, p);
      sum += (a >>> 32) + (a & 0xffffffffL);
      p += 8;
    }
    if (end - p >= 4) {
      sum += seg.get(INT_BE, p) & 0xffffffffL;
      p += 4;
    }
    if (end - p >= 2) {
      sum += seg.get(SHORT_BE, p) & 0xffff;
      p += 2;
    }
    if (end - p == 1) {
      sum += (seg.get(ValueLayout.JAVA_BYTE, p) & 0xff) << 8;
    }
    return sum;
  }

  public static long sum(byte[] bytes, int offset, int length) {
    return sum(MemorySegment.ofArray(bytes), offset, length);
  }

  /** Sums the buffer's remaining bytes without moving its position. */
  public static long sum(ByteBuffer buffer) {
    return sum(MemorySegment.ofBuffer(buffer), 0, buffer.remaining());
  }

  /** Folds a sum to 16 bits with end-around carry (RFC 1071 §4.1 "Fold 32-bit sum to 16 bits"). */
  public static int fold(long sum) {
    long s = (sum & 0xffffffffL) + (sum >>> 32);
    s = (s & 0xffff) + (s >>> 16);
    s = (s & 0xffff) + (s >>> 16);
    s = (s & 0xffff) + (s >>> 16);
    return (int) s;
  }

  /** The checksum to write for a sum: the one's complement of the folded sum. */
  public static int finish(long sum) {
    return ~fold(sum) & 0xffff;
  }

  /** The checksum of a byte range whose checksum field is zero (or verification: 0 means the range is intact). */
  public static int checksum(MemorySegment seg, long offset, long length) {
    return finish(sum(seg, offset, length));
  }

  public static int checksum(byte[] bytes, int offset, int length) {
    return finish(sum(bytes, offset, length));
  }

  /**
   * RFC 1624 §3 eqn. 3: {@code HC' = ~(~HC + ~m + m')} for one 16-bit field changing from {@code oldWord} to
   * {@code newWord}. Unlike eqn. 2 of RFC 1141 this never yields 0x0000 from a non-zero sum (§4).
   */
  public static int update16(int checksum, int oldWord, int newWord) {
    long s = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
    return ~fold(s) & 0xffff;
  }

  /** RFC 1624 update for a 32-bit field (two 16-bit words), e.g. an IPv4 address or a TCP sequence number. */
  public static int update32(int checksum, int oldValue, int newValue) {
    long s = (~checksum & 0xffff)
        + (~(oldValue >>> 16) & 0xffff) + (~oldValue & 0xffff)
        + ((newValue >>> 16) & 0xffff) + (newValue & 0xffff);
    return ~fold(s) & 0xffff;
  }

  /**
   * RFC 1624 generalised to any set of changed words: {@code oldSum} is the sum of every word removed,
   * {@code newSum} of every word added. NAT64 uses it to swap an IPv6 pseudo header for an IPv4 one
   * (RFC 7915 §4.5 / §5.5 "the checksum MUST be updated").
   */
  public static int adjust(int checksum, long oldSum, long newSum) {
    long s = (~checksum & 0xffff) + (~fold(oldSum) & 0xffff) + fold(newSum);
    return ~fold(s) & 0xffff;
  }

  /** RFC 793 §3.1 / RFC 768 IPv4 pseudo header: source, destination, zero, protocol, upper-layer length. */
  public static long pseudoHeaderV4(int source, int destination, int protocol, int upperLayerLength) {
    return ((source >>> 16) & 0xffff) + (source & 0xffff)
        + ((destination >>> 16) & 0xffff) + (destination & 0xffff)
        + (protocol & 0xff) + (upperLayerLength & 0xffff);
  }

  /** IPv4 pseudo header with the addresses read from a segment (4 bytes each, network order). */
  public static long pseudoHeaderV4(
      MemorySegment seg, long sourceOffset, long destinationOffset, int protocol, int upperLayerLength) {
    return pseudoHeaderV4(seg.get(INT_BE, sourceOffset), seg.get(INT_BE, destinationOffset), protocol,
        upperLayerLength);
  }

  /**
   * RFC 8200 §8.1 IPv6 pseudo header: source, destination (16 bytes each), 32-bit upper-layer length, three zero
   * bytes, next header.
   */
  public static long pseudoHeaderV6(
      MemorySegment seg, long sourceOffset, long destinationOffset, int nextHeader, long upperLayerLength) {
    return sum(seg, sourceOffset, 16) + sum(seg, destinationOffset, 16)
        + ((upperLayerLength >>> 16) & 0xffff) + (upperLayerLength & 0xffff) + (nextHeader & 0xff);
  }
}
