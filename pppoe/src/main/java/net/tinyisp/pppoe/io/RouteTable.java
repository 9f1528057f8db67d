package net.tinyisp.pppoe.io;

import java.util.concurrent.ConcurrentHashMap;
import net.tinyisp.common.net.IpPrefix;

/**
 * Which session a downstream IPv6 packet belongs to: an exact lookup on the destination's /64 (the link prefix) and
 * on its /pd-length (the delegated prefix). Two hash probes per packet, safe for the core thread to read while the
 * control loop adds and removes sessions. (Prefixes are /64 or shorter, so the upper 64 bits are the whole key.)
 */
final class RouteTable {
  private final int pdLength;
  private final ConcurrentHashMap<Long, Integer> links = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Integer> delegated = new ConcurrentHashMap<>();

  RouteTable(int pdLength) {
    this.pdLength = pdLength;
  }

  void add(IpPrefix link, IpPrefix pd, int sessionId) {
    if (link != null) links.put(key(link.network(), 0, 64), sessionId);
    if (pd != null) delegated.put(key(pd.network(), 0, pd.length()), sessionId);
  }

  void remove(IpPrefix link, IpPrefix pd) {
    if (link != null) links.remove(key(link.network(), 0, 64));
    if (pd != null) delegated.remove(key(pd.network(), 0, pd.length()));
  }

  /** The session for a destination address at {@code offset} in {@code packet}, or -1. */
  int lookup(byte[] packet, int offset) {
    Integer s = links.get(key(packet, offset, 64));
    if (s == null) s = delegated.get(key(packet, offset, pdLength));
    return s == null ? -1 : s;
  }

  /** Is {@code address} (at offset) inside one of this session's prefixes? BCP 38 for what the subscriber sends. */
  boolean owns(int sessionId, byte[] packet, int offset) {
    Integer a = links.get(key(packet, offset, 64));
    if (a != null && a == sessionId) return true;
    Integer b = delegated.get(key(packet, offset, pdLength));
    return b != null && b == sessionId;
  }

  private static Long key(byte[] a, int off, int length) {
    long hi = 0;
    for (int i = 0; i < 8; i++) hi = hi << 8 | (a[off + i] & 0xff);
    if (length < 64) hi &= -1L << (64 - length);
    return hi;
  }
}
