package net.tinyisp.net.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Walks a TPACKET_V3 receive ring (Documentation/networking/packet_mmap.rst, linux/if_packet.h). The ring is
 * {@code blockCount} blocks of {@code blockSize} bytes; the kernel fills a block with variable-length frames and
 * hands it over by setting {@code block_status} to TP_STATUS_USER, we hand it back with TP_STATUS_KERNEL. Status
 * is read with acquire and written with release semantics: the frames must be visible before the status that
 * publishes them, and our reads must be finished before the kernel may overwrite the block.
 *
 * <pre>
 * struct tpacket_block_desc { u32 version; u32 offset_to_priv; struct tpacket_hdr_v1 {
 *     u32 block_status;            @8
 *     u32 num_pkts;                @12
 *     u32 offset_to_first_pkt;     @16
 *     u32 blk_len;                 @20
 *     u64 seq_num; ts_first_pkt; ts_last_pkt; } }
 * struct tpacket3_hdr {
 *     u32 tp_next_offset; @0   u32 tp_sec; @4   u32 tp_nsec; @8   u32 tp_snaplen; @12   u32 tp_len; @16
 *     u32 tp_status; @20   u16 tp_mac; @24   u16 tp_net; @26   hv1 ...; }
 * </pre>
 */
final class RxRing {
  static final int TP_STATUS_KERNEL = 0;
  static final int TP_STATUS_USER = 1;
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private final MemorySegment ring;
  private final int blockSize;
  private final int blockCount;
  private int current;

  RxRing(MemorySegment ring, int blockSize, int blockCount) {
    this.ring = ring;
    this.blockSize = blockSize;
    this.blockCount = blockCount;
  }

  MemorySegment memory() {
    return ring;
  }

  /** Whether the next block is ready for us (without waiting). */
  boolean ready() {
    return ((int) INT.getAcquire(ring, (long) current * blockSize + 8) & TP_STATUS_USER) != 0;
  }

  /**
   * Hands every frame of every ready block to the handler, in order, returning each block to the kernel after its
   * frames; stops at the first block the kernel still owns or after {@code maxBlocks}. Returns the frame count.
   */
  int drain(FrameHandler handler, int maxBlocks) {
    int frames = 0;
    for (int b = 0; b < maxBlocks && ready(); b++) {
      long block = (long) current * blockSize;
      try {
        int count = ring.get(ValueLayout.JAVA_INT, block + 12);
        long frame = block + Integer.toUnsignedLong(ring.get(ValueLayout.JAVA_INT, block + 16));
        long blockEnd = block + blockSize;
        for (int i = 0; i < count; i++) {
          // bounded: a frame header must lie in this block (defends against a corrupted ring, not expected)
          if (frame < block || frame + 32 > blockEnd) {
            break;
          }
          int snaplen = ring.get(ValueLayout.JAVA_INT, frame + 12);
          int mac = ring.get(ValueLayout.JAVA_SHORT, frame + 24) & 0xffff;
          if (frame + mac + Integer.toUnsignedLong(snaplen) <= blockEnd) {
            frames++;
            handler.frame(ring, frame + mac, snaplen);
          }
          int next = ring.get(ValueLayout.JAVA_INT, frame);
          if (next == 0) {
            break;
          }
          frame += Integer.toUnsignedLong(next);
        }
      } finally {
        // even when a handler throws, the block goes back: otherwise the ring stalls and frames repeat
        INT.setRelease(ring, block + 8, TP_STATUS_KERNEL);
        current = (current + 1) % blockCount;
      }
    }
    return frames;
  }
}
