package net.tinyisp.nat64.wire;

/**
 * ICMP type, code, pointer and MTU mapping of RFC 7915 §4.2 (ICMPv4 to ICMPv6) and §5.2 (ICMPv6 to ICMPv4).
 * Returns null where the RFC says "silently drop". {@code rest} is the 32-bit word after the checksum.
 */
public final class IcmpMapping {
  private IcmpMapping() {}

  public record Mapped(int type, int code, int rest) {}

  /** RFC 1191 §7 plateau table, used when a router reports MTU 0 (RFC 7915 §4.2). */
  private static final int[] PLATEAUS = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

  /** RFC 7915 §4.2 for the ICMPv4 error types 3, 11, 12; {@code innerTotalLength} feeds the plateau table. */
  public static Mapped v4ToV6(int type, int code, int rest, int innerTotalLength, int lowestIpv6Mtu) {
    switch (type) {
      case 3:
        switch (code) {
          case 0, 1, 5, 6, 7, 8, 11, 12:
            return new Mapped(1, 0, 0); // no route to destination
          case 9, 10, 13, 15:
            return new Mapped(1, 1, 0); // communication administratively prohibited
          case 2:
            return new Mapped(4, 1, 6); // parameter problem, unrecognized next header, pointer to Next Header
          case 3:
            return new Mapped(1, 4, 0); // port unreachable
          case 4: {
            // Packet Too Big: IPv4 MTU + 20 for the larger header; plateau when the router sent 0
            int mtu4 = rest & 0xffff;
            if (mtu4 == 0) {
              mtu4 = 68;
              for (int p : PLATEAUS) {
                if (p < innerTotalLength) {
                  mtu4 = p;
                  break;
                }
              }
            }
            int mtu6 = Math.max(lowestIpv6Mtu, Math.min(mtu4 + 20, 65535));
            return new Mapped(2, 0, mtu6);
          }
          default:
            return null; // 14 (host precedence violation) and unassigned codes
        }
      case 11:
        return new Mapped(3, code, 0);
      case 12: {
        if (code != 0 && code != 2) return null;
        int ptr = v4PointerToV6(rest >>> 24);
        if (ptr < 0) return null;
        return new Mapped(4, 0, ptr);
      }
      default:
        return null;
    }
  }

  /** RFC 7915 §4.2 Figure 3. */
  static int v4PointerToV6(int p) {
    if (p == 0 || p == 1) return p;
    if (p == 2 || p == 3) return 4;
    if (p == 8) return 7;
    if (p == 9) return 6;
    if (p >= 12 && p <= 15) return 8;
    if (p >= 16 && p <= 19) return 24;
    return -1;
  }

  /** RFC 7915 §5.2 for the ICMPv6 error types 1..4. */
  public static Mapped v6ToV4(int type, int code, int rest) {
    switch (type) {
      case 1:
        return switch (code) {
          case 0, 2, 3 -> new Mapped(3, 1, 0); // host unreachable
          case 1 -> new Mapped(3, 10, 0); // communication with destination host administratively prohibited
          case 4 -> new Mapped(3, 3, 0); // port unreachable
          default -> null;
        };
      case 2: {
        // Fragmentation Needed; the IPv4 MTU is the IPv6 one minus the 20 bytes of header difference
        long mtu6 = rest & 0xffffffffL;
        int mtu4 = (int) Math.min(0xffff, Math.max(68, mtu6 - 20));
        return new Mapped(3, 4, mtu4);
      }
      case 3:
        return new Mapped(11, code, 0);
      case 4:
        if (code == 1) return new Mapped(3, 2, 0); // unrecognized next header -> protocol unreachable
        if (code != 0) return null;
        int ptr = v6PointerToV4(rest);
        if (ptr < 0) return null;
        return new Mapped(12, 0, ptr << 24);
      default:
        return null;
    }
  }

  /** RFC 7915 §5.2 Figure 6. */
  static int v6PointerToV4(int p) {
    if (p == 0 || p == 1) return p;
    if (p == 4 || p == 5) return 2;
    if (p == 6) return 9;
    if (p == 7) return 8;
    if (p >= 8 && p <= 23) return 12;
    if (p >= 24 && p <= 39) return 16;
    return -1;
  }
}
