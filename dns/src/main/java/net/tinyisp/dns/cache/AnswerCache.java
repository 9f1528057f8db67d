package net.tinyisp.dns.cache;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A size-bounded LRU cache of upstream answers, split in segments each behind its own lock so the event loops
 * rarely meet. Entries expire by their own TTL (RFC 1035 §7.3, RFC 2308 §5 for negative answers); the least
 * recently used entry of a full segment is evicted.
 */
public final class AnswerCache<V extends AnswerCache.Expiring> {
  /** A cached value knows when it stops being usable. */
  public interface Expiring {
    long expiresAtNanos();
  }

  private static final int SEGMENTS = 16;
  private final Segment<V>[] segments;
  private final LongSupplier clock;
  private final LongAdder evictions = new LongAdder();

  @SuppressWarnings("unchecked")
  public AnswerCache(int maxEntries, LongSupplier nanoClock) {
    this.clock = nanoClock;
    int per = Math.max(1, (maxEntries + SEGMENTS - 1) / SEGMENTS);
    segments = new Segment[SEGMENTS];
    for (int i = 0; i < SEGMENTS; i++) segments[i] = new Segment<>(per, evictions);
  }

  private Segment<V> segment(CacheKey k) {
    int h = k.hashCode();
    return segments[(h ^ h >>> 16) & (SEGMENTS - 1)];
  }

  /** The live value, or null when absent or expired (an expired one is removed). */
  public V get(CacheKey k) {
    Segment<V> s = segment(k);
    long now = clock.getAsLong();
    synchronized (s) {
      V v = s.get(k);
      if (v == null) return null;
      if (v.expiresAtNanos() - now <= 0) {
        s.remove(k);
        return null;
      }
      return v;
    }
  }

  public void put(CacheKey k, V v) {
    Segment<V> s = segment(k);
    synchronized (s) {
      s.put(k, v);
    }
  }

  public int size() {
    int n = 0;
    for (Segment<V> s : segments) {
      synchronized (s) {
        n += s.size();
      }
    }
    return n;
  }

  public long evictions() {
    return evictions.sum();
  }

  private static final class Segment<V> extends LinkedHashMap<CacheKey, V> {
    private final int max;
    private final LongAdder evictions;

    Segment(int max, LongAdder evictions) {
      super(16, 0.75f, true);
      this.max = max;
      this.evictions = evictions;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<CacheKey, V> eldest) {
      if (size() > max) {
        evictions.increment();
        return true;
      }
      return false;
    }
  }
}
