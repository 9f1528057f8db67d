package net.tinyisp.net.tun;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * Checksum-offload ({@code CHECKSUM_PARTIAL}) handling for packets that cross a TUN device with a virtio-net
 * header.
 *
 * <p>The contract (linux/skbuff.h "CHECKSUM_PARTIAL", virtio spec §5.1.6.2): the L4 checksum field at
 * {@code csum_start + csum_offset} holds the folded, <em>not</em> complemented pseudo-header sum; whoever finishes
 * the job sums every byte from {@code csum_start} to the end of the packet (the field included) and stores the
 * complement there. For a super-packet the pseudo-header sum uses the L4 length of the whole super-packet; the
 * kernel's GSO adjusts it per segment.
 */
public final class ChecksumOffload {
  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private ChecksumOffload() {}

  /**
   * Finishes a partial checksum in the packet at {@code packetOffset} of {@code length} bytes. Returns false (and
   * changes nothing) when the range named by the header lies outside the packet.
   */
  public static boolean complete(MemorySegment seg, long packetOffset, int length, int csumStart, int csumOffset) {
    if (csumStart >= length || (long) csumStart + csumOffset + 2 > length) {
      return false;
    }
    long sum = InternetChecksum.sum(seg, packetOffset + csumStart, length - csumStart);
    int c = InternetChecksum.finish(sum);
    // a zero result is sent as 0xffff: the same value in one's complement, and mandatory for UDP (RFC 768)
    seg.set(U16, packetOffset + csumStart + csumOffset, (short) (c == 0 ? 0xffff : c));
    return true;
  }

  /**
   * Prepares a packet for the kernel to finish: stores the folded pseudo-header sum in the checksum field and
   * fills the virtio header's {@code NEEDS_CSUM}, {@code csum_start}, {@code csum_offset}. {@code l4Start} is
   * relative to the packet start; {@code checksumFieldOffset} is 16 for TCP and 6 for UDP.
   */
  public static void preparePartial(MemorySegment seg, long vnetOffset, long packetOffset, int l4Start,
      int checksumFieldOffset, long pseudoHeaderSum) {
    seg.set(U16, packetOffset + l4Start + checksumFieldOffset, (short) InternetChecksum.fold(pseudoHeaderSum));
    VirtioNetHeader.flags(seg, vnetOffset, VirtioNetHeader.flags(seg, vnetOffset) | VirtioNetHeader.F_NEEDS_CSUM);
    VirtioNetHeader.csumStart(seg, vnetOffset, l4Start);
    VirtioNetHeader.csumOffset(seg, vnetOffset, checksumFieldOffset);
  }
}
