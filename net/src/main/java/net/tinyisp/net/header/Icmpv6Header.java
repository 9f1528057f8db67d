package net.tinyisp.net.header;

import java.lang.foreign.MemorySegment;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * ICMPv6 header view (RFC 4443 §2.1). The second word is identifier and sequence for echo (§4.1, §4.2), the MTU
 * for Packet Too Big (§3.2), the pointer for Parameter Problem (§3.4), unused otherwise.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * +-+-+-+-+-
 * </pre>
 *
 * The checksum includes the IPv6 pseudo header with next header 58 (RFC 4443 §2.3).
 */
public final class Icmpv6Header extends HeaderView {
  public static final int LENGTH = 8;
  public static final int DESTINATION_UNREACHABLE = 1;
  public static final int PACKET_TOO_BIG = 2;
  public static final int TIME_EXCEEDED = 3;
  public static final int PARAMETER_PROBLEM = 4;
  public static final int ECHO_REQUEST = 128;
  public static final int ECHO_REPLY = 129;

  public Icmpv6Header wrap(MemorySegment segment, long offset) {
    point(segment, offset);
    return this;
  }

  public boolean valid(long available) {
    return available >= LENGTH;
  }

  /** RFC 4443 §2.1: types 0-127 are errors, 128-255 informational. */
  public boolean isError() {
    return type() < 128;
  }

  public int type() {
    return u8(0);
  }

  public Icmpv6Header type(int value) {
    u8(0, value);
    return this;
  }

  public int code() {
    return u8(1);
  }

  public Icmpv6Header code(int value) {
    u8(1, value);
    return this;
  }

  public int checksum() {
    return u16(2);
  }

  public Icmpv6Header checksum(int value) {
    u16(2, value);
    return this;
  }

  public int identifier() {
    return u16(4);
  }

  public Icmpv6Header identifier(int value) {
    u16(4, value);
    return this;
  }

  public int sequenceNumber() {
    return u16(6);
  }

  public Icmpv6Header sequenceNumber(int value) {
    u16(6, value);
    return this;
  }

  /** The whole second word: MTU (type 2), pointer (type 4), unused otherwise. */
  public int restOfHeader() {
    return s32(4);
  }

  public Icmpv6Header restOfHeader(int value) {
    s32(4, value);
    return this;
  }

  public long payloadOffset() {
    return off + LENGTH;
  }

  /** Computes and stores the checksum over {@code messageLength} bytes plus the IPv6 pseudo header sum. */
  public Icmpv6Header updateChecksum(long pseudoHeaderSum, int messageLength) {
    u16(2, 0);
    u16(2, InternetChecksum.finish(pseudoHeaderSum + InternetChecksum.sum(seg, off, messageLength)));
    return this;
  }

  public boolean checksumValid(long pseudoHeaderSum, int messageLength) {
    return InternetChecksum.finish(pseudoHeaderSum + InternetChecksum.sum(seg, off, messageLength)) == 0;
  }
}
