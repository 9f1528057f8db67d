package net.tinyisp.net.packet;

import java.util.List;

/**
 * An AF_PACKET socket on one interface.
 *
 * @param interfaceName the interface to bind ({@code eth1}); required
 * @param etherTypes EtherTypes to receive (default PPPoE discovery and session, 0x8863 and 0x8864); an empty list
 *     makes a send-only socket whose filter accepts nothing
 * @param blockSize TPACKET_V3 ring block size in bytes, a power of two multiple of the page size; default 1 MiB
 * @param blockCount number of ring blocks; default 8 (8 MiB of ring)
 * @param blockTimeoutMillis how long the kernel keeps a partly filled block before handing it over; bounds receive
 *     latency at low rates; default 2
 */
public record AfPacketConfig(
    String interfaceName, List<Integer> etherTypes, Integer blockSize, Integer blockCount,
    Integer blockTimeoutMillis) {
  public static final List<Integer> PPPOE = List.of(0x8863, 0x8864);
  /** TPACKET_V3 needs a frame size for its bookkeeping; frames themselves are variable length in a block. */
  static final int FRAME_SIZE = 2048;

  public AfPacketConfig {
    if (interfaceName == null || interfaceName.isBlank() || interfaceName.length() > 15) {
      throw new IllegalArgumentException("interface must name a network interface (1-15 characters)");
    }
    etherTypes = etherTypes == null ? PPPOE : List.copyOf(etherTypes);
    if (etherTypes.size() > BpfFilter.MAX_TYPES) {
      throw new IllegalArgumentException("at most " + BpfFilter.MAX_TYPES + " EtherTypes");
    }
    if (blockSize == null) {
      blockSize = 1 << 20;
    }
    if (Integer.bitCount(blockSize) != 1 || blockSize < 4096 || blockSize > (1 << 26)) {
      throw new IllegalArgumentException("block-size must be a power of two from 4096 to 64 MiB, got " + blockSize);
    }
    if (blockCount == null) {
      blockCount = 8;
    }
    if (blockCount < 1 || blockCount > 1024) {
      throw new IllegalArgumentException("block-count must be 1..1024, got " + blockCount);
    }
    if (blockTimeoutMillis == null) {
      blockTimeoutMillis = 2;
    }
    if (blockTimeoutMillis < 1 || blockTimeoutMillis > 1000) {
      throw new IllegalArgumentException("block-timeout-millis must be 1..1000, got " + blockTimeoutMillis);
    }
  }

  /** PPPoE discovery and session frames on {@code interfaceName} with the default ring. */
  public static AfPacketConfig pppoe(String interfaceName) {
    return new AfPacketConfig(interfaceName, PPPOE, null, null, null);
  }
}
