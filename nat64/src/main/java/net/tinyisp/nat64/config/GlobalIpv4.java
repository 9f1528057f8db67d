package net.tinyisp.nat64.config;

/**
 * RFC 6052 §3.1 forbids the Well-Known Prefix for non-global IPv4 addresses. Non-global here means the special-
 * purpose ranges of the IANA IPv4 Special-Purpose Address Registry (RFC 6890) that are not globally reachable.
 */
public final class GlobalIpv4 {
  private static final int[][] NON_GLOBAL = {
    {0x00000000, 8}, {0x0a000000, 8}, {0x64400000, 10}, {0x7f000000, 8}, {0xa9fe0000, 16}, {0xac100000, 12},
    {0xc0000000, 24}, {0xc0000200, 24}, {0xc0a80000, 16}, {0xc6120000, 15}, {0xc6336400, 24}, {0xcb007100, 24},
    {0xe0000000, 4}, {0xf0000000, 4},
  };

  private GlobalIpv4() {}

  public static boolean isGlobal(int addr) {
    for (int[] r : NON_GLOBAL) {
      int mask = -1 << (32 - r[1]);
      if ((addr & mask) == r[0]) return false;
    }
    return true;
  }
}
