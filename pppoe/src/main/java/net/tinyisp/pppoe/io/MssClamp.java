package net.tinyisp.pppoe.io;

/**
 * TCP MSS clamping for SYNs crossing the PPPoE link (MTU 1492): the MSS option is lowered to 1492 - 40 - 20 = 1432
 * for IPv6 and 1492 - 20 - 20 = 1452 for IPv4 (dual-stack sessions), so that neither side sends segments the link
 * cannot carry when PMTUD is blocked (rp-pppoe's {@code -m}, accel-ppp's {@code mss}). The TCP checksum is updated
 * incrementally (RFC 1624, eqn. 3).
 */
final class MssClamp {
  static final int IPV6_MSS_ON_PPPOE = 1432;
  static final int IPV4_MSS_ON_PPPOE = 1452;

  private MssClamp() {}

  /** Clamps an IPv6 or IPv4 TCP SYN in place to the PPPoE MSS of its family; returns true if it was changed. */
  static boolean clampForPppoe(byte[] p, int length) {
    if (length < 1) return false;
    return switch ((p[0] & 0xf0) >>> 4) {
      case 6 -> clamp(p, length, IPV6_MSS_ON_PPPOE);
      case 4 -> clamp(p, length, IPV4_MSS_ON_PPPOE);
      default -> false;
    };
  }

  /**
   * Clamps in place; returns true if the packet was changed. Plain IPv6 + TCP (no extension headers), or IPv4 + TCP
   * (any header length; not a later fragment, which carries no TCP header).
   */
  static boolean clamp(byte[] p, int length, int maxMss) {
    if (length < 1) return false;
    int tcp;
    int version = (p[0] & 0xf0) >>> 4;
    if (version == 6) {
      if (length < 60 || p[6] != 6) return false;
      tcp = 40;
    } else if (version == 4) {
      tcp = (p[0] & 0x0f) * 4;
      if (tcp < 20 || length < tcp + 20 || p[9] != 6) return false;
      if (((p[6] & 0x1f) | p[7]) != 0) return false;
    } else {
      return false;
    }
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
        // RFC 1624: HC' = ~(~HC + ~m + m'). A field at an odd offset from the TCP header (after a lone NOP) adds
        // its bytes swapped to the one's complement sum (RFC 1071 §2), so m and m' are swapped there.
        boolean odd = ((i + 2 - tcp) & 1) != 0;
        int m = odd ? swap(mss) : mss;
        int m2 = odd ? swap(maxMss) : maxMss;
        int hc = (p[tcp + 16] & 0xff) << 8 | p[tcp + 17] & 0xff;
        int sum = (~hc & 0xffff) + (~m & 0xffff) + m2;
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

  private static int swap(int v) {
    return (v & 0xff) << 8 | (v >>> 8) & 0xff;
  }
}
