package net.tinyisp.pppoe.io;

/**
 * TCP MSS clamping for IPv6 SYNs crossing the PPPoE link (MTU 1492): the MSS option is lowered to
 * 1492 - 40 - 20 = 1432 so that neither side sends segments the link cannot carry when PMTUD is blocked. The TCP
 * checksum is updated incrementally (RFC 1624, eqn. 3).
 */
final class MssClamp {
  static final int IPV6_MSS_ON_PPPOE = 1432;

  private MssClamp() {}

  /** Clamps in place; returns true if the packet was changed. Only plain IPv6 + TCP (no extension headers). */
  static boolean clamp(byte[] p, int length, int maxMss) {
    if (length < 60 || (p[0] & 0xf0) != 0x60 || p[6] != 6) return false;
    int tcp = 40;
    int flags = p[tcp + 13] & 0xff;
    if ((flags & 0x02) == 0) return false; // SYN only
    int dataOffset = (p[tcp + 12] & 0xf0) >>> 2;
    if (dataOffset < 20 || tcp + dataOffset > length) return false;
    int i = tcp + 20;
    int end = tcp + dataOffset;
    while (i < end) {
      int kind = p[i] & 0xff;
      if (kind == 0) break;
      if (kind == 1) {
        i++;
        continue;
      }
      if (i + 1 >= end) break;
      int len = p[i + 1] & 0xff;
      if (len < 2 || i + len > end) break;
      if (kind == 2 && len == 4) {
        int mss = (p[i + 2] & 0xff) << 8 | p[i + 3] & 0xff;
        if (mss <= maxMss) return false;
        // RFC 1624: HC' = ~(~HC + ~m + m'); the MSS field is 16-bit aligned (options start at offset 20)
        int hc = (p[tcp + 16] & 0xff) << 8 | p[tcp + 17] & 0xff;
        int sum = (~hc & 0xffff) + (~mss & 0xffff) + maxMss;
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        int nc = ~sum & 0xffff;
        p[i + 2] = (byte) (maxMss >> 8);
        p[i + 3] = (byte) maxMss;
        p[tcp + 16] = (byte) (nc >> 8);
        p[tcp + 17] = (byte) nc;
        return true;
      }
      i += len;
    }
    return false;
  }
}
