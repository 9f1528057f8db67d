package net.tinyisp.net.tun;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The virtio-net header that precedes every packet on a TUN fd opened with {@code IFF_VNET_HDR} (linux/virtio_net.h,
 * virtio spec 1.x §5.1.6 "Device Operation"). Multi-byte fields are little-endian (virtio 1.0; TUN uses the host
 * order, which is little-endian on x86-64 and aarch64).
 *
 * <pre>
 * struct virtio_net_hdr {                     offset
 *   __u8    flags;        NEEDS_CSUM=1, DATA_VALID=2, RSC_INFO=4     0
 *   __u8    gso_type;     NONE=0 TCPV4=1 UDP=3 TCPV6=4 UDP_L4=5, ECN=0x80   1
 *   __le16  hdr_len;      bytes of headers to copy into each segment          2
 *   __le16  gso_size;     payload bytes per segment (the MSS)                 4
 *   __le16  csum_start;   where the checksummed range starts                  6
 *   __le16  csum_offset;  where, from csum_start, to store the checksum       8
 * };                                                                          10 bytes
 * struct virtio_net_hdr_mrg_rxbuf { struct virtio_net_hdr hdr; __le16 num_buffers; }  12 bytes
 * </pre>
 *
 * <p>Kernel to us (read): with {@code NEEDS_CSUM} the L4 checksum field holds only the pseudo-header sum and the
 * range from {@code csum_start} must be summed to finish it ({@link ChecksumOffload#complete}). With a
 * {@code gso_type} the packet is a super-packet whose payload must be cut into {@code gso_size} pieces
 * ({@link GsoSegmenter}). Us to kernel (write): the same meaning, the kernel finishes the work.
 *
 * <p>The record is the pure codec; the static accessors read and write fields in place without allocating.
 */
public record VirtioNetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
  public static final int LENGTH = 10;
  public static final int LENGTH_MRG_RXBUF = 12;

  public static final int F_NEEDS_CSUM = 1;
  public static final int F_DATA_VALID = 2;
  public static final int F_RSC_INFO = 4;

  public static final int GSO_NONE = 0;
  public static final int GSO_TCPV4 = 1;
  public static final int GSO_UDP = 3;
  public static final int GSO_TCPV6 = 4;
  public static final int GSO_UDP_L4 = 5;
  public static final int GSO_ECN = 0x80;

  /** A header that asks for nothing: a complete, checksummed, single packet. */
  public static final VirtioNetHeader NONE = new VirtioNetHeader(0, GSO_NONE, 0, 0, 0, 0);

  private static final ValueLayout.OfShort LE16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  public VirtioNetHeader {
    requireU8("flags", flags);
    requireU8("gso_type", gsoType);
    requireU16("hdr_len", hdrLen);
    requireU16("gso_size", gsoSize);
    requireU16("csum_start", csumStart);
    requireU16("csum_offset", csumOffset);
  }

  private static void requireU8(String name, int v) {
    if (v < 0 || v > 0xff) {
      throw new IllegalArgumentException(name + " must be 0..255, got " + v);
    }
  }

  private static void requireU16(String name, int v) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException(name + " must be 0..65535, got " + v);
    }
  }

  /** Decodes the 10 bytes at {@code offset}. */
  public static VirtioNetHeader read(MemorySegment seg, long offset) {
    return new VirtioNetHeader(flags(seg, offset), gsoType(seg, offset), hdrLen(seg, offset),
        gsoSize(seg, offset), csumStart(seg, offset), csumOffset(seg, offset));
  }

  /** Encodes into the 10 bytes at {@code offset}. */
  public void write(MemorySegment seg, long offset) {
    seg.set(ValueLayout.JAVA_BYTE, offset, (byte) flags);
    seg.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) gsoType);
    seg.set(LE16, offset + 2, (short) hdrLen);
    seg.set(LE16, offset + 4, (short) gsoSize);
    seg.set(LE16, offset + 6, (short) csumStart);
    seg.set(LE16, offset + 8, (short) csumOffset);
  }

  public boolean needsChecksum() {
    return (flags & F_NEEDS_CSUM) != 0;
  }

  /** The GSO type without the ECN bit. */
  public int gsoKind() {
    return gsoType & ~GSO_ECN;
  }

  // In-place accessors for the packet loop.

  public static int flags(MemorySegment seg, long offset) {
    return seg.get(ValueLayout.JAVA_BYTE, offset) & 0xff;
  }

  public static int gsoType(MemorySegment seg, long offset) {
    return seg.get(ValueLayout.JAVA_BYTE, offset + 1) & 0xff;
  }

  public static int hdrLen(MemorySegment seg, long offset) {
    return seg.get(LE16, offset + 2) & 0xffff;
  }

  public static int gsoSize(MemorySegment seg, long offset) {
    return seg.get(LE16, offset + 4) & 0xffff;
  }

  public static int csumStart(MemorySegment seg, long offset) {
    return seg.get(LE16, offset + 6) & 0xffff;
  }

  public static int csumOffset(MemorySegment seg, long offset) {
    return seg.get(LE16, offset + 8) & 0xffff;
  }

  /** Zeroes the header: what to write in front of a complete single packet. */
  public static void clear(MemorySegment seg, long offset) {
    seg.asSlice(offset, LENGTH).fill((byte) 0);
  }

  public static void flags(MemorySegment seg, long offset, int value) {
    seg.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
  }

  public static void gsoType(MemorySegment seg, long offset, int value) {
    seg.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) value);
  }

  public static void hdrLen(MemorySegment seg, long offset, int value) {
    seg.set(LE16, offset + 2, (short) value);
  }

  public static void gsoSize(MemorySegment seg, long offset, int value) {
    seg.set(LE16, offset + 4, (short) value);
  }

  public static void csumStart(MemorySegment seg, long offset, int value) {
    seg.set(LE16, offset + 6, (short) value);
  }

  public static void csumOffset(MemorySegment seg, long offset, int value) {
    seg.set(LE16, offset + 8, (short) value);
  }
}
