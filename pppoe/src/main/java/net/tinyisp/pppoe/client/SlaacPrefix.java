package net.tinyisp.pppoe.client;

/**
 * The subscriber side of SLAAC on a load-client session: finds the /64 a Router Advertisement offers for
 * autonomous address configuration (RFC 4861 §4.2 and §4.6.2, RFC 4862 §5.5.3) and builds the address from it and
 * the interface identifier IPv6CP negotiated (RFC 5072 §5). Pure and bounded: a malformed RA yields nothing.
 *
 * <p>Why here and not the kernel: a TUN device is {@code ARPHRD_NONE} with {@code IFF_NOARP}, so the kernel neither
 * uses a configured token ({@code ip token} refuses NOARP devices) nor derives the IID from IPv6CP; with
 * {@code accept_ra} it would form the address from a random IID (addr_gen_mode random), not the negotiated one.
 */
final class SlaacPrefix {
  static final int ICMPV6 = 58;
  static final int ROUTER_SOLICITATION = 133;
  static final int ROUTER_ADVERTISEMENT = 134;
  private static final int PREFIX_INFORMATION = 3;

  private SlaacPrefix() {}

  /** Whether the IPv6 packet (no extension headers, as RFC 4861 §6.1.2 RAs have none before ICMPv6) is an RA. */
  static boolean isRouterAdvertisement(byte[] p, int length) {
    return length >= 56 && (p[0] & 0xf0) == 0x60 && (p[6] & 0xff) == ICMPV6 && (p[40] & 0xff) == ROUTER_ADVERTISEMENT;
  }

  /**
   * The first 8 bytes of the first Prefix Information option with the A flag and prefix length 64, or null.
   * RFC 4862 §5.5.3: other lengths cannot form an address with a 64-bit IID and are ignored.
   */
  static byte[] autonomousPrefix(byte[] p, int length) {
    if (!isRouterAdvertisement(p, length)) return null;
    int payload = (p[4] & 0xff) << 8 | p[5] & 0xff;
    int end = Math.min(length, 40 + payload);
    int off = 40 + 16; // RA fixed part: type, code, checksum, hop limit, flags, lifetime, reachable, retrans
    while (off + 2 <= end) {
      int type = p[off] & 0xff;
      int len = (p[off + 1] & 0xff) * 8;
      if (len == 0 || off + len > end) return null; // RFC 4861 §4.6: length 0 is invalid, discard the RA
      if (type == PREFIX_INFORMATION && len == 32 && (p[off + 2] & 0xff) == 64 && (p[off + 3] & 0x40) != 0) {
        byte[] prefix = new byte[8];
        System.arraycopy(p, off + 16, prefix, 0, 8);
        return prefix;
      }
      off += len;
    }
    return null;
  }

  /** The address text {@code prefix::iid} (RFC 5952 enough for iproute2: four groups, then four). */
  static String address(byte[] prefix8, long interfaceId) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i += 2) b.append(Integer.toHexString((prefix8[i] & 0xff) << 8 | prefix8[i + 1] & 0xff)).append(':');
    for (int i = 3; i >= 0; i--) {
      b.append(Long.toHexString(interfaceId >>> (16 * i) & 0xffff));
      if (i > 0) b.append(':');
    }
    return b.toString();
  }

  /** {@code fe80::iid}, the link-local address RFC 5072 §5 derives from the negotiated identifier. */
  static String linkLocal(long interfaceId) {
    return address(new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0}, interfaceId);
  }

  /**
   * A Router Solicitation from {@code fe80::iid} to all-routers (RFC 4861 §4.1, hop limit 255, no options: a
   * point-to-point link has no link-layer address to announce, §4.1 "Source link-layer address").
   */
  static byte[] routerSolicitation(long interfaceId) {
    byte[] p = new byte[48];
    p[0] = 0x60;
    p[5] = 8;
    p[6] = ICMPV6;
    p[7] = (byte) 255;
    p[8] = (byte) 0xfe;
    p[9] = (byte) 0x80;
    for (int i = 0; i < 8; i++) p[16 + i] = (byte) (interfaceId >>> (56 - 8 * i));
    p[24] = (byte) 0xff;
    p[25] = 0x02;
    p[39] = 0x02;
    p[40] = (byte) ROUTER_SOLICITATION;
    // RFC 8200 §8.1 checksum over the pseudo-header and the 8-byte ICMPv6 message
    long sum = 0;
    for (int i = 8; i < 40; i += 2) sum += (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
    sum += 8 + ICMPV6;
    for (int i = 40; i < 48; i += 2) sum += (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
    while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
    int c = (int) (~sum & 0xffff);
    p[42] = (byte) (c >> 8);
    p[43] = (byte) c;
    return p;
  }
}
