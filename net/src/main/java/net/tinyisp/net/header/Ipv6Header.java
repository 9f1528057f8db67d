package net.tinyisp.net.header;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * IPv6 header view (RFC 8200 §3) with a bounded walk over the extension header chain (§4).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                         Source Address (128 bits)             +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                      Destination Address (128 bits)           +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Fragment header (RFC 8200 §4.5), 8 bytes:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * After {@link #walk(long)} the view knows the upper-layer protocol and offset and where the fragment header is.
 */
public final class Ipv6Header extends HeaderView {
  public static final int LENGTH = 40;
  public static final int OFFSET_SOURCE = 8;
  public static final int OFFSET_DESTINATION = 24;

  public static final int HOP_BY_HOP = 0;
  public static final int ROUTING = 43;
  public static final int FRAGMENT = 44;
  public static final int ESP = 50;
  public static final int AH = 51;
  public static final int NO_NEXT_HEADER = 59;
  public static final int DESTINATION_OPTIONS = 60;
  public static final int MOBILITY = 135;
  public static final int HIP = 139;
  public static final int SHIM6 = 140;

  /** RFC 8200 §4.1 lets chains be long in theory; real ones are short. More than this is treated as malformed. */
  public static final int MAX_EXTENSION_HEADERS = 8;

  /** Results of the last walk. */
  private int upperProtocol = -1;
  private long upperOffset = -1;
  private long fragmentOffsetInSegment = -1;
  private long lastNextHeaderFieldOffset = -1;

  public Ipv6Header wrap(MemorySegment segment, long offset) {
    point(segment, offset);
    upperProtocol = -1;
    upperOffset = -1;
    fragmentOffsetInSegment = -1;
    lastNextHeaderFieldOffset = -1;
    return this;
  }

  /** Version 6, a whole fixed header, and a payload length that fits the available bytes. */
  public boolean valid(long available) {
    return available >= LENGTH && version() == 6 && LENGTH + (long) payloadLength() <= available;
  }

  public int version() {
    return u8(0) >>> 4;
  }

  public int trafficClass() {
    return (s32(0) >>> 20) & 0xff;
  }

  public int flowLabel() {
    return s32(0) & 0xfffff;
  }

  /** Writes version 6, the traffic class and the flow label in one go. */
  public Ipv6Header versionClassLabel(int trafficClass, int flowLabel) {
    s32(0, (6 << 28) | ((trafficClass & 0xff) << 20) | (flowLabel & 0xfffff));
    return this;
  }

  public int payloadLength() {
    return u16(4);
  }

  public Ipv6Header payloadLength(int value) {
    u16(4, value);
    return this;
  }

  public int nextHeader() {
    return u8(6);
  }

  public Ipv6Header nextHeader(int value) {
    u8(6, value);
    return this;
  }

  public int hopLimit() {
    return u8(7);
  }

  public Ipv6Header hopLimit(int value) {
    u8(7, value);
    return this;
  }

  /** Offset of the source address in the segment (16 bytes). */
  public long sourceOffset() {
    return off + OFFSET_SOURCE;
  }

  public long destinationOffset() {
    return off + OFFSET_DESTINATION;
  }

  /** The high (bytes 0-7) or low (bytes 8-15) half of the source address, big-endian. */
  public long sourceHigh() {
    return seg.get(U64, off + OFFSET_SOURCE);
  }

  public long sourceLow() {
    return seg.get(U64, off + OFFSET_SOURCE + 8);
  }

  public long destinationHigh() {
    return seg.get(U64, off + OFFSET_DESTINATION);
  }

  public long destinationLow() {
    return seg.get(U64, off + OFFSET_DESTINATION + 8);
  }

  public Ipv6Header source(long high, long low) {
    seg.set(U64, off + OFFSET_SOURCE, high);
    seg.set(U64, off + OFFSET_SOURCE + 8, low);
    return this;
  }

  public Ipv6Header destination(long high, long low) {
    seg.set(U64, off + OFFSET_DESTINATION, high);
    seg.set(U64, off + OFFSET_DESTINATION + 8, low);
    return this;
  }

  public void copySource(byte[] into) {
    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + OFFSET_SOURCE, into, 0, 16);
  }

  public void copyDestination(byte[] into) {
    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + OFFSET_DESTINATION, into, 0, 16);
  }

  /** Offset of the first byte after the fixed header. */
  public long payloadOffset() {
    return off + LENGTH;
  }

  /**
   * Walks the extension header chain (RFC 8200 §4) inside {@code available} bytes from the header start. Returns
   * false when a header runs past the bytes or the chain is longer than {@link #MAX_EXTENSION_HEADERS}; otherwise
   * {@link #upperProtocol()} and {@link #upperOffset()} name the first header that is not a known extension header
   * (TCP, UDP, ICMPv6, ESP, No Next Header, or anything unknown, which RFC 8200 §4 says to treat as upper layer).
   */
  public boolean walk(long available) {
    long end = off + Math.min(available, LENGTH + (long) payloadLength());
    int next = nextHeader();
    long at = off + LENGTH;
    long nextField = off + 6;
    fragmentOffsetInSegment = -1;
    for (int count = 0; ; count++) {
      long length;
      switch (next) {
        case HOP_BY_HOP, ROUTING, DESTINATION_OPTIONS, MOBILITY, HIP, SHIM6 -> {
          if (at + 2 > end) {
            return false;
          }
          // §4.3-§4.6: Hdr Ext Len in 8-octet units, not including the first 8 octets
          length = ((seg.get(ValueLayout.JAVA_BYTE, at + 1) & 0xffL) + 1) * 8;
        }
        case FRAGMENT -> {
          length = 8;
          if (fragmentOffsetInSegment < 0) {
            fragmentOffsetInSegment = at;
          }
        }
        case AH -> {
          if (at + 2 > end) {
            return false;
          }
          // RFC 4302 §2.2: Payload Len in 4-octet units, minus 2
          length = ((seg.get(ValueLayout.JAVA_BYTE, at + 1) & 0xffL) + 2) * 4;
        }
        default -> {
          upperProtocol = next;
          upperOffset = at;
          lastNextHeaderFieldOffset = nextField;
          return at <= end;
        }
      }
      if (count >= MAX_EXTENSION_HEADERS || at + length > end) {
        return false;
      }
      nextField = at;
      next = seg.get(ValueLayout.JAVA_BYTE, at) & 0xff;
      at += length;
    }
  }

  /** Upper-layer protocol found by the last successful {@link #walk}; -1 before. */
  public int upperProtocol() {
    return upperProtocol;
  }

  /** Segment offset of the upper-layer header found by the last {@link #walk}; -1 before. */
  public long upperOffset() {
    return upperOffset;
  }

  /** Segment offset of the Next Header field that names the upper-layer protocol (to rewrite it). */
  public long upperNextHeaderFieldOffset() {
    return lastNextHeaderFieldOffset;
  }

  /** Segment offset of the first fragment header found by the last {@link #walk}, or -1 when there is none. */
  public long fragmentHeaderOffset() {
    return fragmentOffsetInSegment;
  }

  /** Fragment offset in bytes from the fragment header found by the walk (call only when one exists). */
  public int fragmentOffset() {
    return seg.get(U16, fragmentOffsetInSegment + 2) & 0xfff8;
  }

  public boolean moreFragments() {
    return (seg.get(U16, fragmentOffsetInSegment + 2) & 1) != 0;
  }

  public int fragmentIdentification() {
    return seg.get(U32, fragmentOffsetInSegment + 4);
  }

  /** Length of the upper-layer data per the payload length (RFC 8200 §8.1 "Upper-Layer Packet Length"). */
  public int upperLength() {
    return (int) (off + LENGTH + payloadLength() - upperOffset);
  }

  /** Pseudo-header sum (RFC 8200 §8.1) for this header's addresses, the given next header and upper length. */
  public long pseudoHeaderSum(int nextHeader, long upperLayerLength) {
    return InternetChecksum.pseudoHeaderV6(seg, off + OFFSET_SOURCE, off + OFFSET_DESTINATION, nextHeader,
        upperLayerLength);
  }
}
