package net.tinyisp.nat64.wire;

import net.tinyisp.common.net.IpPrefix;

/**
 * An RFC 6052 §2.2 IPv4-embedded IPv6 prefix of length 32, 40, 48, 56, 64 or 96. The 32 bits of IPv4 are placed
 * after the prefix, skipping bits 64..71 (the "u" octet, which must be zero); the suffix is zero.
 *
 * <pre>
 * |PL| 0-------------32--40--48--56--64--72--80--88--96--104---------|
 * |32|     prefix    |v4(32)         | u | suffix                    |
 * |40|     prefix        |v4(24)     | u |(8)| suffix                |
 * |48|     prefix            |v4(16) | u | (16)  | suffix            |
 * |56|     prefix                |(8)| u |  v4(24)   | suffix        |
 * |64|     prefix                    | u |   v4(32)      | suffix    |
 * |96|     prefix                                    |    v4(32)     |
 * </pre>
 */
public final class Pool6 {
  /** RFC 6052 §2.1: 64:ff9b::/96. */
  public static final IpPrefix WELL_KNOWN = IpPrefix.parse("64:ff9b::/96");

  private final IpPrefix prefix;
  private final byte[] net;
  private final int length;
  private final int[] v4Positions = new int[4];

  public Pool6(IpPrefix prefix) {
    if (prefix.isIpv4()) {
      throw new IllegalArgumentException("pool6 '" + prefix + "' must be an IPv6 prefix");
    }
    int l = prefix.length();
    if (l != 32 && l != 40 && l != 48 && l != 56 && l != 64 && l != 96) {
      throw new IllegalArgumentException("pool6 '" + prefix + "': RFC 6052 §2.2 allows lengths 32, 40, 48, 56, 64 and 96");
    }
    this.net = prefix.network();
    if (l < 96 && net[8] != 0) {
      throw new IllegalArgumentException("pool6 '" + prefix + "': bits 64-71 (the u octet) must be zero, RFC 6052 §2.2");
    }
    this.prefix = prefix;
    this.length = l;
    int pos = l / 8;
    for (int i = 0; i < 4; i++) {
      if (pos == 8) pos++; // skip the u octet
      v4Positions[i] = pos++;
    }
  }

  public IpPrefix prefix() {
    return prefix;
  }

  public boolean isWellKnown() {
    return prefix.equals(WELL_KNOWN);
  }

  /** True when the IPv6 address at {@code buf[off..off+16)} lies inside this prefix (suffix not checked). */
  public boolean contains(byte[] buf, int off) {
    int full = length / 8;
    for (int i = 0; i < full; i++) {
      if (buf[off + i] != net[i]) return false;
    }
    return true;
  }

  /** RFC 6052 §2.3: the IPv4 address embedded in the IPv6 address at {@code buf[off..]}. */
  public int extract(byte[] buf, int off) {
    return (buf[off + v4Positions[0]] & 0xff) << 24
        | (buf[off + v4Positions[1]] & 0xff) << 16
        | (buf[off + v4Positions[2]] & 0xff) << 8
        | buf[off + v4Positions[3]] & 0xff;
  }

  /** RFC 6052 §2.2: writes prefix, IPv4 address, zero u octet and zero suffix into {@code buf[off..off+16)}. */
  public void embed(int v4, byte[] buf, int off) {
    System.arraycopy(net, 0, buf, off, 16);
    for (int i = length / 8; i < 16; i++) buf[off + i] = 0;
    buf[off + v4Positions[0]] = (byte) (v4 >>> 24);
    buf[off + v4Positions[1]] = (byte) (v4 >>> 16);
    buf[off + v4Positions[2]] = (byte) (v4 >>> 8);
    buf[off + v4Positions[3]] = (byte) v4;
  }

  public byte[] embed(int v4) {
    byte[] b = new byte[16];
    embed(v4, b, 0);
    return b;
  }
}
