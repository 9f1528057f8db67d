package net.tinyisp.pppoe.ipv4;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.pppoe.pool.Slots;

/**
 * IPv4 addresses for dual-stack subscribers (each gets one /32 on its PPP link, RFC 1332). The first host address
 * is ours: the IPCP local address of every session, as BNGs commonly use one gateway address for all PPP links.
 * The network and broadcast addresses are never handed out. Pure: a bit per address, at most a /8.
 */
public final class Ipv4Pool {
  private final int network;
  private final int size;
  private final Slots slots;
  private final Inet4Address gateway;

  public Ipv4Pool(IpPrefix pool) {
    if (!pool.isIpv4() || pool.length() < 8 || pool.length() > 29) {
      throw new IllegalArgumentException("'ipv4-pool' must be an IPv4 prefix from /8 to /29, got " + pool);
    }
    this.network = toInt(pool.network());
    this.size = 1 << (32 - pool.length());
    this.slots = new Slots(size);
    slots.take(0); // network
    slots.take(size - 1); // broadcast
    slots.take(1); // the gateway: our side of every link
    this.gateway = address(network + 1);
  }

  /** Our IPCP address on every link. */
  public Inet4Address gateway() {
    return gateway;
  }

  /** Addresses subscribers can get. */
  public int capacity() {
    return size - 3;
  }

  public int inUse() {
    return slots.inUse() - 3;
  }

  /** The next free address, or null when the pool is exhausted. */
  public Inet4Address allocate() {
    int i = slots.take();
    return i < 0 ? null : address(network + i);
  }

  /** Marks an address RADIUS assigned (Framed-IP-Address) as taken; false if it is outside the pool or in use. */
  public boolean reserve(Inet4Address a) {
    int i = indexOf(a);
    return i >= 0 && slots.take(i);
  }

  /** Whether the address lies in the pool (in use or not). */
  public boolean contains(Inet4Address a) {
    return indexOf(a) >= 0;
  }

  public void release(Inet4Address a) {
    int i = indexOf(a);
    if (i > 1 && i < size - 1) slots.free(i);
  }

  private int indexOf(Inet4Address a) {
    long offset = Integer.toUnsignedLong(toInt(a.getAddress())) - Integer.toUnsignedLong(network);
    return offset < 0 || offset >= size ? -1 : (int) offset;
  }

  public static int toInt(byte[] a) {
    return (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | a[3] & 0xff;
  }

  static Inet4Address address(int v) {
    try {
      return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }
}
