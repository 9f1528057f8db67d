package net.tinyisp.nat64.wire;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624 eqn. 3). Sums are kept unfolded in an int
 * until {@link #fold}; callers add 16-bit words and fold once. Interim copy until the net module's checksum is
 * adopted.
 */
public final class Checksum {
  private Checksum() {}

  /** The unfolded one's complement sum of {@code len} bytes (odd length padded with a zero byte). */
  public static long sum(byte[] b, int off, int len) {
    long s = 0;
    int end = off + len;
    int i = off;
    for (; i + 7 < end; i += 8) {
      s += ((b[i] & 0xff) << 8 | b[i + 1] & 0xff)
          + ((b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff)
          + ((b[i + 4] & 0xff) << 8 | b[i + 5] & 0xff)
          + ((b[i + 6] & 0xff) << 8 | b[i + 7] & 0xff);
    }
    for (; i + 1 < end; i += 2) {
      s += (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
    }
    if (i < end) {
      s += (b[i] & 0xff) << 8;
    }
    return s;
  }

  public static int fold(long s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) s;
  }

  /** The checksum field value for the data summed in {@code s}: the complement of the folded sum. */
  public static int finish(long s) {
    return ~fold(s) & 0xffff;
  }

  /**
   * RFC 1624 eqn. 3: {@code HC' = ~(~HC + ~m + m')}, where {@code oldSum}/{@code newSum} are the folded sums of the
   * words removed and added.
   */
  public static int adjust(int checksum, int oldSum, int newSum) {
    long s = (~checksum & 0xffff) + (~oldSum & 0xffff) + (newSum & 0xffff);
    return ~fold(s) & 0xffff;
  }

  /**
   * The same update for a field that holds only the uncomplemented pseudo-header sum (a checksum the kernel will
   * complete, virtio-net {@code NEEDS_CSUM}).
   */
  public static int adjustPartial(int partial, int oldSum, int newSum) {
    long s = (partial & 0xffff) + (~oldSum & 0xffff) + (newSum & 0xffff);
    return fold(s);
  }

  /** RFC 8200 §8.1 pseudo-header sum without the two address fields: upper-layer length and next header. */
  public static long pseudoTail(int length, int protocol) {
    return (length >>> 16) + (length & 0xffff) + protocol;
  }
}
