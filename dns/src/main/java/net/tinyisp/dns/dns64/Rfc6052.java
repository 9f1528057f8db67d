package net.tinyisp.dns.dns64;

import net.tinyisp.common.net.IpPrefix;

/**
 * IPv4-embedded IPv6 addresses, RFC 6052 §2.2: the IPv4 address is placed after the prefix, skipping bits 64-71
 * (the "u" octet, which must be zero), and the remaining bits are the suffix (zero unless configured, as bind's
 * {@code suffix}).
 *
 * <pre>
 *  +--+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 *  |PL| 0-------------32--40--48--56--64--72--80--88--96--104---------|
 *  +--+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 *  |32|     prefix    |v4(32)         | u | suffix                    |
 *  |40|     prefix        |v4(24)     | u |(8)| suffix                |
 *  |48|     prefix            |v4(16) | u | (16)  | suffix            |
 *  |56|     prefix                |(8)| u |  v4(24)   | suffix        |
 *  |64|     prefix                    | u |   v4(32)      | suffix    |
 *  |96|     prefix                                    |    v4(32)     |
 * </pre>
 */
public final class Rfc6052 {
  private final byte[] prefix;
  private final int length;
  private final byte[] suffix;
  private final int[] v4Bytes;

  public Rfc6052(IpPrefix prefix, byte[] suffix) {
    if (prefix.isIpv4()) {
      throw new IllegalArgumentException("DNS64 prefix " + prefix + " must be IPv6");
    }
    this.length = prefix.length();
    this.v4Bytes = switch (length) {
      case 32 -> new int[] {4, 5, 6, 7};
      case 40 -> new int[] {5, 6, 7, 9};
      case 48 -> new int[] {6, 7, 9, 10};
      case 56 -> new int[] {7, 9, 10, 11};
      case 64 -> new int[] {9, 10, 11, 12};
      case 96 -> new int[] {12, 13, 14, 15};
      default -> throw new IllegalArgumentException("DNS64 prefix " + prefix
          + ": RFC 6052 §2.2 allows prefix lengths 32, 40, 48, 56, 64 and 96 only");
    };
    this.prefix = prefix.network();
    // RFC 6052 §2.2: bits 64 to 71 must be zero
    if (length > 64 && this.prefix[8] != 0) {
      throw new IllegalArgumentException("DNS64 prefix " + prefix + ": bits 64-71 must be zero (RFC 6052 §2.2)");
    }
    this.suffix = suffix == null ? new byte[16] : suffix.clone();
    if (this.suffix.length != 16) throw new IllegalArgumentException("suffix must be an IPv6 address");
    for (int i = 0; i < 16; i++) {
      if (!isSuffixByte(i) && this.suffix[i] != 0) {
        throw new IllegalArgumentException("suffix " + net.tinyisp.common.net.AddressText.format(this.suffix)
            + " overlaps the prefix /" + length + " or the embedded IPv4 address; only bits after them may be set");
      }
    }
  }

  private boolean isSuffixByte(int i) {
    if (i * 8 < length || i == 8) return false;
    for (int b : v4Bytes) if (b == i) return false;
    return true;
  }

  public int prefixLength() {
    return length;
  }

  /** The prefix's network bytes (16). */
  public byte[] prefixBytes() {
    return prefix.clone();
  }

  public byte[] embed(byte[] ipv4) {
    if (ipv4.length != 4) throw new IllegalArgumentException("an IPv4 address is 4 bytes");
    byte[] out = prefix.clone();
    for (int i = 0; i < 16; i++) if (isSuffixByte(i)) out[i] = suffix[i];
    if (length <= 64) out[8] = 0;
    for (int i = 0; i < 4; i++) out[v4Bytes[i]] = ipv4[i];
    return out;
  }

  /** True when {@code ipv6} lies in the prefix (the part a reverse lookup can be answered for). */
  public boolean covers(byte[] ipv6) {
    return new IpPrefix(prefix, length).contains(ipv6);
  }

  /** The embedded IPv4 address, or null when {@code ipv6} is not in the prefix, u is non-zero or the suffix differs. */
  public byte[] extract(byte[] ipv6) {
    if (ipv6.length != 16) return null;
    for (int i = 0; i < 16; i++) {
      if (i * 8 < length) {
        int bits = Math.min(8, length - i * 8);
        int m = (0xff00 >> bits) & 0xff;
        if ((ipv6[i] & m) != (prefix[i] & m)) return null;
      } else if (i == 8 && length <= 64) {
        if (ipv6[8] != 0) return null;
      } else if (isSuffixByte(i) && ipv6[i] != suffix[i]) {
        return null;
      }
    }
    byte[] v4 = new byte[4];
    for (int i = 0; i < 4; i++) v4[i] = ipv6[v4Bytes[i]];
    return v4;
  }
}
