package net.tinyisp.net.header;

import java.lang.foreign.MemorySegment;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * ICMPv4 header view (RFC 792). The second word depends on the type: identifier and sequence for echo, the unused
 * word plus next-hop MTU for "fragmentation needed" (RFC 1191 §4), a pointer for parameter problem.
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
 * The checksum covers the whole ICMP message, with no pseudo header.
 */
public final class Icmpv4Header extends HeaderView {
  public static final int LENGTH = 8;
  public static final int ECHO_REPLY = 0;
  public static final int DESTINATION_UNREACHABLE = 3;
  public static final int ECHO_REQUEST = 8;
  public static final int TIME_EXCEEDED = 11;
  public static final int PARAMETER_PROBLEM = 12;

  public Icmpv4Header wrap(MemorySegment segment, long offset) {
    point(segment, offset);
    return this;
  }

  public boolean valid(long available) {
    return available >= LENGTH;
  }

  public int type() {
    return u8(0);
  }

  public Icmpv4Header type(int value) {
    u8(0, value);
    return this;
  }

  public int code() {
    return u8(1);
  }

  public Icmpv4Header code(int value) {
    u8(1, value);
    return this;
  }

  public int checksum() {
    return u16(2);
  }

  public Icmpv4Header checksum(int value) {
    u16(2, value);
    return this;
  }

  public int identifier() {
    return u16(4);
  }

  public Icmpv4Header identifier(int value) {
    u16(4, value);
    return this;
  }

  public int sequenceNumber() {
    return u16(6);
  }

  public Icmpv4Header sequenceNumber(int value) {
    u16(6, value);
    return this;
  }

  /** The whole second word (rest of header), for types where it is not identifier/sequence. */
  public int restOfHeader() {
    return s32(4);
  }

  public Icmpv4Header restOfHeader(int value) {
    s32(4, value);
    return this;
  }

  /** RFC 1191 §4: next-hop MTU in the low 16 bits of the second word of a type 3 code 4 message. */
  public int nextHopMtu() {
    return u16(6);
  }

  public Icmpv4Header nextHopMtu(int value) {
    u16(6, value);
    return this;
  }

  /** RFC 792: pointer to the octet where an error was detected (type 12). */
  public int pointer() {
    return u8(4);
  }

  public Icmpv4Header pointer(int value) {
    u8(4, value);
    return this;
  }

  public long payloadOffset() {
    return off + LENGTH;
  }

  /** Computes and stores the checksum over {@code messageLength} bytes (header and data). */
  public Icmpv4Header updateChecksum(int messageLength) {
    u16(2, 0);
    u16(2, InternetChecksum.checksum(seg, off, messageLength));
    return this;
  }

  public boolean checksumValid(int messageLength) {
    return InternetChecksum.checksum(seg, off, messageLength) == 0;
  }
}
