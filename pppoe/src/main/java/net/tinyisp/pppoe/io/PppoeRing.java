package net.tinyisp.pppoe.io;

import net.tinyisp.net.packet.AfPacketConfig;

/**
 * The receive ring for PPPoE control and session traffic: many small blocks instead of the default few large ones.
 *
 * <p>A TPACKET_V3 block is handed to us when it is full or when its retire timeout (2 ms) passes with at least one
 * frame in it. At setup rates (a few thousand frames per second) every block therefore carries only a handful of
 * frames, and a ring of 8 blocks absorbs only about 16 ms of a stalled control thread (a GC pause, a burst of
 * RADIUS answers, the other cores busy) before the kernel drops frames: that was the lost PADIs and PADRs behind
 * the 5 s PADI retransmissions in the first 1000-session runs (736 drops in PACKET_STATISTICS for 1000 sessions).
 * 512 blocks of 16 KiB (8 MiB, the same memory) absorb about a second at low rates and still hold about 100
 * frames each at high rates.
 */
public final class PppoeRing {
  static final int BLOCK_SIZE = 16 << 10;
  static final int BLOCK_COUNT = 512;
  static final int BLOCK_TIMEOUT_MILLIS = 2;

  private PppoeRing() {}

  /** PPPoE discovery and session frames on {@code iface}, with the many-block ring. */
  public static AfPacketConfig on(String iface) {
    return new AfPacketConfig(iface, AfPacketConfig.PPPOE, BLOCK_SIZE, BLOCK_COUNT, BLOCK_TIMEOUT_MILLIS);
  }
}
