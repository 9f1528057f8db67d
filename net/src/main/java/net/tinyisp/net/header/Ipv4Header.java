package net.tinyisp.net.header;

import java.lang.foreign.MemorySegment;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * IPv4 header view (RFC 791 §3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Flags: bit 0 reserved, bit 1 DF, bit 2 MF. Type of Service is the DSCP/ECN byte (RFC 2474, RFC 3168).
 */
public final class Ipv4Header extends HeaderView {
  public static final int MIN_LENGTH = 20;
  public static final int FLAG_DF = 0x4000;
  public static final int FLAG_MF = 0x2000;
  public static final int OFFSET_SOURCE = 12;
  public static final int OFFSET_DESTINATION = 16;

  public Ipv4Header wrap(MemorySegment segment, long offset) {
    point(segment, offset);
    return this;
  }

  /**
   * Whether {@code available} bytes from the offset hold a well-formed header: version 4, IHL of at least 5 words,
   * the header inside the bytes and a total length covering the header and not exceeding the bytes.
   */
  public boolean valid(long available) {
    if (available < MIN_LENGTH || version() != 4) {
      return false;
    }
    int hl = headerLength();
    int total = totalLength();
    return hl >= MIN_LENGTH && hl <= available && total >= hl && total <= available;
  }

  public int version() {
    return u8(0) >>> 4;
  }

  /** Header length in bytes (IHL x 4). */
  public int headerLength() {
    return (u8(0) & 0x0f) * 4;
  }

  /** Sets version 4 and the IHL from a byte length (a multiple of 4 from 20 to 60). */
  public Ipv4Header versionAndHeaderLength(int bytes) {
    u8(0, 0x40 | (bytes / 4));
    return this;
  }

  public int tos() {
    return u8(1);
  }

  public Ipv4Header tos(int value) {
    u8(1, value);
    return this;
  }

  public int totalLength() {
    return u16(2);
  }

  public Ipv4Header totalLength(int value) {
    u16(2, value);
    return this;
  }

  public int identification() {
    return u16(4);
  }

  public Ipv4Header identification(int value) {
    u16(4, value);
    return this;
  }

  /** The 16-bit word holding the three flag bits and the fragment offset. */
  public int flagsAndFragmentOffset() {
    return u16(6);
  }

  public Ipv4Header flagsAndFragmentOffset(int value) {
    u16(6, value);
    return this;
  }

  public boolean dontFragment() {
    return (u16(6) & FLAG_DF) != 0;
  }

  public boolean moreFragments() {
    return (u16(6) & FLAG_MF) != 0;
  }

  /** Fragment offset in bytes (the field counts 8-byte units). */
  public int fragmentOffset() {
    return (u16(6) & 0x1fff) * 8;
  }

  public boolean isFragment() {
    return (u16(6) & (FLAG_MF | 0x1fff)) != 0;
  }

  public int ttl() {
    return u8(8);
  }

  public Ipv4Header ttl(int value) {
    u8(8, value);
    return this;
  }

  public int protocol() {
    return u8(9);
  }

  public Ipv4Header protocol(int value) {
    u8(9, value);
    return this;
  }

  public int headerChecksum() {
    return u16(10);
  }

  public Ipv4Header headerChecksum(int value) {
    u16(10, value);
    return this;
  }

  /** Source address as a 32-bit int in network order (198.51.100.1 is 0xc6336401). */
  public int source() {
    return s32(OFFSET_SOURCE);
  }

  public Ipv4Header source(int address) {
    s32(OFFSET_SOURCE, address);
    return this;
  }

  public int destination() {
    return s32(OFFSET_DESTINATION);
  }

  public Ipv4Header destination(int address) {
    s32(OFFSET_DESTINATION, address);
    return this;
  }

  /** Offset (in the segment) of the first byte after the header, where the payload starts. */
  public long payloadOffset() {
    return off + headerLength();
  }

  public int payloadLength() {
    return totalLength() - headerLength();
  }

  /** Recomputes and stores the header checksum (RFC 791 §3.1: over the header only, field taken as zero). */
  public Ipv4Header updateHeaderChecksum() {
    u16(10, 0);
    u16(10, InternetChecksum.checksum(seg, off, headerLength()));
    return this;
  }

  /** True when the stored header checksum verifies (RFC 1071: the sum including the field folds to 0xffff). */
  public boolean headerChecksumValid() {
    return InternetChecksum.checksum(seg, off, headerLength()) == 0;
  }

  /** Sum of the pseudo header (RFC 793 §3.1) for this header's addresses and protocol and the given L4 length. */
  public long pseudoHeaderSum(int upperLayerLength) {
    return InternetChecksum.pseudoHeaderV4(source(), destination(), protocol(), upperLayerLength);
  }
}
