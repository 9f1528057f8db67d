package net.tinyisp.dns.doh;

/**
 * Reads and rewrites the TTLs of a wire-format DNS message without a full parse: enough for DoH's
 * {@code Cache-Control: max-age} (RFC 8484 §5.1) and for a cache that ages its answers. Every read is bounded;
 * a message that does not walk cleanly gives {@code -1} / {@code null}.
 */
public final class ResponseTtl {
  private static final int OPT = 41;

  private ResponseTtl() {}

  /**
   * The smallest TTL over the answer, authority and additional records (OPT excluded, its TTL field is flags);
   * {@code 0} when there are none (nothing to cache for), {@code -1} when the message is malformed.
   */
  public static long minTtl(byte[] m) {
    long[] min = {Long.MAX_VALUE};
    if (WireShape.walk(m, (offset, type) -> {
      if (type != OPT) min[0] = Math.min(min[0], ttlAt(m, offset));
    }) < 0) {
      return -1;
    }
    return min[0] == Long.MAX_VALUE ? 0 : min[0];
  }

  /** A copy with every TTL lowered by {@code seconds} (not below 0); null when the message is malformed. */
  public static byte[] aged(byte[] m, long seconds) {
    byte[] out = m.clone();
    if (WireShape.walk(out, (offset, type) -> {
      if (type != OPT) {
        long ttl = Math.max(0, ttlAt(out, offset) - seconds);
        out[offset] = (byte) (ttl >>> 24);
        out[offset + 1] = (byte) (ttl >>> 16);
        out[offset + 2] = (byte) (ttl >>> 8);
        out[offset + 3] = (byte) ttl;
      }
    }) < 0) {
      return null;
    }
    return out;
  }

  private static long ttlAt(byte[] m, int o) {
    long ttl = (m[o] & 0xffL) << 24 | (m[o + 1] & 0xff) << 16 | (m[o + 2] & 0xff) << 8 | (m[o + 3] & 0xff);
    return ttl > 0x7fffffffL ? 0 : ttl; // RFC 2181 §8: a TTL with the top bit set is treated as zero
  }
}
