package net.tinyisp.pppoe.ipv6;

import java.math.BigInteger;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.pppoe.pool.Slots;

/**
 * Hands out equal-sized IPv6 prefixes from a pool (delegated /48s or /56s from a /40; link /64s from a /48).
 * Pure and bounded: a bit per prefix, at most 2^24 of them (a /32 split into /56s fits in 2 MB).
 */
public final class PrefixPool {
  private final IpPrefix pool;
  private final int length;
  private final int size;
  private final Slots slots;

  public PrefixPool(IpPrefix pool, int length) {
    if (pool.isIpv4() || length < pool.length() || length > 64) {
      throw new IllegalArgumentException("pool " + pool + " cannot be split into /" + length + " (IPv6, /64 at most)");
    }
    if (length - pool.length() > 24) {
      throw new IllegalArgumentException("pool " + pool + " split into /" + length + " gives more than 2^24 prefixes");
    }
    this.pool = pool;
    this.length = length;
    this.size = 1 << (length - pool.length());
    this.slots = new Slots(size);
  }

  public int capacity() {
    return size;
  }

  public int inUse() {
    return slots.inUse();
  }

  /** The next free prefix, or null when the pool is exhausted (the caller refuses the session and counts it). */
  public IpPrefix allocate() {
    int i = slots.take();
    return i < 0 ? null : nth(i);
  }

  /** Marks a prefix RADIUS assigned (Delegated-IPv6-Prefix) as taken; false if it is outside the pool or in use. */
  public boolean reserve(IpPrefix p) {
    int i = indexOf(p);
    return i >= 0 && slots.take(i);
  }

  public void release(IpPrefix p) {
    int i = indexOf(p);
    if (i >= 0) slots.free(i);
  }

  private int indexOf(IpPrefix p) {
    if (p.length() != length || !pool.contains(p.network())) return -1;
    BigInteger offset = new BigInteger(1, p.network()).subtract(new BigInteger(1, pool.network())).shiftRight(128 - length);
    return offset.intValueExact();
  }

  private IpPrefix nth(int i) {
    BigInteger base = new BigInteger(1, pool.network()).add(BigInteger.valueOf(i).shiftLeft(128 - length));
    byte[] raw = base.toByteArray();
    byte[] addr = new byte[16];
    System.arraycopy(raw, Math.max(0, raw.length - 16), addr, Math.max(0, 16 - raw.length), Math.min(16, raw.length));
    return new IpPrefix(addr, length);
  }
}
