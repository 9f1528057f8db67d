package net.tinyisp.dns.cache;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A size-bounded cache of upstream answers. Lookups are lock-free (the cache-hit path runs on every event loop at
 * once); entries expire by their own TTL (RFC 1035 §7.3, RFC 2308 §5 for negative answers). When full, an insert
 * evicts expired entries and the least recently used of a sample of {@link #SAMPLE} entries (sampled LRU, as
 * Redis does), which keeps hot names without a shared recency list that every hit would have to lock.
 */
public final class AnswerCache<V extends AnswerCache.Expiring> {
  /** A cached value knows when it stops being usable. */
  public interface Expiring {
    long expiresAtNanos();
  }

  static final int SAMPLE = 16;

  private static final class Node<V> {
    final V value;
    volatile long lastUsed;

    Node(V value, long now) {
      this.value = value;
      this.lastUsed = now;
    }
  }

  private final ConcurrentHashMap<CacheKey, Node<V>> map = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final LongSupplier clock;
  private final LongAdder evictions = new LongAdder();

  public AnswerCache(int maxEntries, LongSupplier nanoClock) {
    if (maxEntries < 1) throw new IllegalArgumentException("cache size must be at least 1");
    this.maxEntries = maxEntries;
    this.clock = nanoClock;
  }

  /** The live value, or null when absent or expired (an expired one is removed). */
  public V get(CacheKey k) {
    Node<V> n = map.get(k);
    if (n == null) return null;
    long now = clock.getAsLong();
    if (n.value.expiresAtNanos() - now <= 0) {
      map.remove(k, n);
      return null;
    }
    if (now - n.lastUsed > 1_000_000_000L) n.lastUsed = now; // a write per second at most keeps hits read-only
    return n.value;
  }

  public void put(CacheKey k, V v) {
    long now = clock.getAsLong();
    map.put(k, new Node<>(v, now));
    while (map.size() > maxEntries) evictOne(now);
  }

  private void evictOne(long now) {
    CacheKey victim = null;
    long oldest = 0;
    Iterator<Map.Entry<CacheKey, Node<V>>> it = map.entrySet().iterator();
    for (int i = 0; i < SAMPLE && it.hasNext(); i++) {
      Map.Entry<CacheKey, Node<V>> e = it.next();
      if (e.getValue().value.expiresAtNanos() - now <= 0) {
        victim = e.getKey();
        break;
      }
      long used = e.getValue().lastUsed;
      if (victim == null || used - oldest < 0) {
        victim = e.getKey();
        oldest = used;
      }
    }
    if (victim != null && map.remove(victim) != null) evictions.increment();
  }

  public int maxEntries() {
    return maxEntries;
  }

  public int size() {
    return map.size();
  }

  public long evictions() {
    return evictions.sum();
  }
}
