package net.tinyisp.pppoe.ipv6;

/** RFC 8200 §8.1 upper-layer checksum over the IPv6 pseudo-header, for the few packets the AC builds itself. */
final class Icmpv6Checksum {
  private Icmpv6Checksum() {}

  /** Checksum of {@code upper} (ICMPv6 or UDP, checksum field zero) between src and dst with next header nh. */
  static int compute(byte[] src, byte[] dst, int nextHeader, byte[] upper) {
    long sum = 0;
    for (int i = 0; i < 16; i += 2) {
      sum += (src[i] & 0xff) << 8 | src[i + 1] & 0xff;
      sum += (dst[i] & 0xff) << 8 | dst[i + 1] & 0xff;
    }
    sum += upper.length;
    sum += nextHeader;
    for (int i = 0; i + 1 < upper.length; i += 2) sum += (upper[i] & 0xff) << 8 | upper[i + 1] & 0xff;
    if ((upper.length & 1) != 0) sum += (upper[upper.length - 1] & 0xff) << 8;
    while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
    int c = (int) (~sum & 0xffff);
    return c == 0 ? 0xffff : c; // RFC 8200: UDP over IPv6 never carries 0; harmless for ICMPv6
  }

  /** An IPv6 packet: fixed header (hop limit {@code hops}) around the upper-layer bytes. */
  static byte[] ipv6(byte[] src, byte[] dst, int nextHeader, int hops, byte[] upper) {
    byte[] p = new byte[40 + upper.length];
    p[0] = 0x60;
    p[4] = (byte) (upper.length >> 8);
    p[5] = (byte) upper.length;
    p[6] = (byte) nextHeader;
    p[7] = (byte) hops;
    System.arraycopy(src, 0, p, 8, 16);
    System.arraycopy(dst, 0, p, 24, 16);
    System.arraycopy(upper, 0, p, 40, upper.length);
    return p;
  }

  static byte[] linkLocal(long interfaceId) {
    byte[] a = new byte[16];
    a[0] = (byte) 0xfe;
    a[1] = (byte) 0x80;
    for (int i = 0; i < 8; i++) a[8 + i] = (byte) (interfaceId >>> (56 - 8 * i));
    return a;
  }
}
