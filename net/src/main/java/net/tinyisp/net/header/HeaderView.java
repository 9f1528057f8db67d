package net.tinyisp.net.header;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Base of the flyweight header views: a segment and an offset, re-pointed with {@code wrap} for every packet so a
 * packet loop allocates nothing. Fields are read and written in network byte order at fixed offsets; a view does
 * not validate on wrap (call the {@code fits}/{@code valid} checks of the concrete view before trusting lengths).
 */
public abstract sealed class HeaderView
    permits Ipv4Header, Ipv6Header, Icmpv4Header, Icmpv6Header, TcpHeader, UdpHeader {
  static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  MemorySegment seg = MemorySegment.NULL;
  long off;

  /** The segment the view currently points into. */
  public final MemorySegment segment() {
    return seg;
  }

  /** Offset of the header's first byte inside {@link #segment()}. */
  public final long offset() {
    return off;
  }

  final void point(MemorySegment segment, long offset) {
    this.seg = segment;
    this.off = offset;
  }

  final int u8(long at) {
    return seg.get(ValueLayout.JAVA_BYTE, off + at) & 0xff;
  }

  final void u8(long at, int value) {
    seg.set(ValueLayout.JAVA_BYTE, off + at, (byte) value);
  }

  final int u16(long at) {
    return seg.get(U16, off + at) & 0xffff;
  }

  final void u16(long at, int value) {
    seg.set(U16, off + at, (short) value);
  }

  final int s32(long at) {
    return seg.get(U32, off + at);
  }

  final void s32(long at, int value) {
    seg.set(U32, off + at, value);
  }
}
