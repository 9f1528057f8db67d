package net.tinyisp.dns.cache;

import java.util.Arrays;

/** Lower-cased qname, qtype, qclass and the DO/CD bits, as {@code ParsedQuery.key()} lays them out. */
public final class CacheKey {
  private final byte[] bytes;
  private final int hash;

  public CacheKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  public byte[] bytes() {
    return bytes;
  }

  public int qtype() {
    int n = bytes.length;
    return (bytes[n - 5] & 0xff) << 8 | bytes[n - 4] & 0xff;
  }

  /** The same name and class with another type (the A lookup behind a AAAA). */
  public CacheKey withType(int type) {
    byte[] b = bytes.clone();
    b[b.length - 5] = (byte) (type >> 8);
    b[b.length - 4] = (byte) type;
    return new CacheKey(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
