package net.tinyisp.nat64.state;

import java.util.BitSet;
import java.util.List;
import net.tinyisp.nat64.config.PortRange;

/**
 * Free ports (or ICMP identifiers) of one protocol over all pool4 addresses. RFC 6146 §3.5.1.1: keep the IPv6
 * source port when free; otherwise a port of the same range (well-known 0-1023 / 1024-65535) and the same parity;
 * and prefer the same IPv4 address for one IPv6 source ("paired" pooling, §3.5.1.1 last paragraph).
 */
public final class PortAllocator {
  private final int[] addrs;
  private final PortRange[] ranges;
  private final BitSet[] used;
  private int used_count;
  private final int capacity;
  private int cursor;

  public PortAllocator(List<Integer> addresses, List<PortRange> rangesPerAddress) {
    int n = addresses.size();
    this.addrs = new int[n];
    this.ranges = new PortRange[n];
    this.used = new BitSet[n];
    int cap = 0;
    for (int i = 0; i < n; i++) {
      addrs[i] = addresses.get(i);
      ranges[i] = rangesPerAddress.get(i);
      used[i] = new BitSet(65536);
      cap += ranges[i].size();
    }
    this.capacity = cap;
  }

  public int capacity() {
    return capacity;
  }

  public int inUse() {
    return used_count;
  }

  public boolean isPoolAddress(int addr) {
    return indexOf(addr) >= 0;
  }

  private int indexOf(int addr) {
    for (int i = 0; i < addrs.length; i++) {
      if (addrs[i] == addr) return i;
    }
    return -1;
  }

  /** Marks (addr, port) used; false if it is not in the pool or already taken. */
  public boolean reserve(int addr, int port) {
    int i = indexOf(addr);
    if (i < 0 || !ranges[i].contains(port) || used[i].get(port)) return false;
    used[i].set(port);
    used_count++;
    return true;
  }

  /** Marks a static binding's port used even when outside the dynamic range. */
  public void reserveStatic(int addr, int port) {
    int i = indexOf(addr);
    if (i >= 0 && !used[i].get(port)) {
      used[i].set(port);
      if (ranges[i].contains(port)) used_count++;
    }
  }

  public void release(int addr, int port) {
    int i = indexOf(addr);
    if (i >= 0 && used[i].get(port)) {
      used[i].clear(port);
      if (ranges[i].contains(port)) used_count--;
    }
  }

  /**
   * Allocates for an IPv6 source hashed to {@code sourceHash} wanting {@code port}; returns {@code addr << 16 |
   * port} as a long, or -1 when every address is exhausted.
   */
  public long allocate(int sourceHash, int port) {
    int n = addrs.length;
    int start = Math.floorMod(sourceHash, n);
    // First pass: keep the port itself; then same range and parity; then any free port.
    for (int pass = 0; pass < 3; pass++) {
      for (int k = 0; k < n; k++) {
        int i = (start + k) % n;
        int p = pick(i, port, pass);
        if (p >= 0) {
          used[i].set(p);
          used_count++;
          return (addrs[i] & 0xffffffffL) << 16 | p;
        }
      }
    }
    return -1;
  }

  private int pick(int i, int want, int pass) {
    PortRange r = ranges[i];
    BitSet u = used[i];
    if (pass == 0) {
      return r.contains(want) && !u.get(want) ? want : -1;
    }
    int size = r.size();
    int offset = cursor++ & 0x7fffffff;
    if (pass == 1) {
      boolean wellKnown = want < 1024;
      for (int k = 0; k < size; k++) {
        int p = r.first() + (offset + k) % size;
        if ((p & 1) == (want & 1) && (p < 1024) == wellKnown && !u.get(p)) return p;
      }
      return -1;
    }
    int p = u.nextClearBit(r.first());
    return p <= r.last() ? p : -1;
  }
}
