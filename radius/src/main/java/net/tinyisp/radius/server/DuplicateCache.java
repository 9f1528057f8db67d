package net.tinyisp.radius.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Duplicate detection (RFC 2865 §3, RFC 5080 §2.2.2): a request with the same source address and port,
 * Identifier and Request Authenticator as one seen within the window is a retransmission. It gets the cached
 * reply byte for byte, or is dropped while the original is still being processed. Replies are remembered for
 * {@code windowNanos}; entries beyond {@code maxEntries} are not cached (counted as a miss, never an error).
 */
public final class DuplicateCache {
  /** Source address, port and Identifier packed with the 16-octet authenticator; small, so the cache stays cheap. */
  public record Key(long address0, long address1, long portAndId, long auth0, long auth1) {
    public static Key of(InetSocketAddress source, int identifier, byte[] wire) {
      ByteBuffer b = ByteBuffer.wrap(wire, 4, 16);
      byte[] a = source.getAddress().getAddress();
      ByteBuffer ab = ByteBuffer.wrap(java.util.Arrays.copyOf(a, 16));
      return new Key(ab.getLong(), ab.getLong(), (long) a.length << 32 | (long) source.getPort() << 8 | identifier,
          b.getLong(), b.getLong());
    }
  }

  public static final class Entry {
    final long createdNanos;
    public volatile byte[] reply;

    Entry(long createdNanos) {
      this.createdNanos = createdNanos;
    }
  }

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final long windowNanos;
  private final int maxEntries;

  public DuplicateCache(long windowNanos, int maxEntries) {
    this.windowNanos = windowNanos;
    this.maxEntries = maxEntries;
  }

  /** Registers a new request; returns the existing entry if this is a duplicate, or null if it is new. */
  public Entry claim(Key key, long nowNanos) {
    if (windowNanos == 0) return null;
    Entry fresh = new Entry(nowNanos);
    Entry old = entries.putIfAbsent(key, fresh);
    if (old != null && nowNanos - old.createdNanos > windowNanos) {
      entries.replace(key, old, fresh); // an expired entry: the NAS reused the id and authenticator; treat as new
      return null;
    }
    return old;
  }

  public void complete(Key key, byte[] reply) {
    if (windowNanos == 0) return;
    Entry e = entries.get(key);
    if (e != null) e.reply = reply;
    if (entries.size() > maxEntries) entries.remove(key); // over the bound: answer, but do not remember
  }

  /** The request produced no reply (dropped after claim): a retransmission must be processed again. */
  public void forget(Key key) {
    entries.remove(key);
  }

  public void expire(long nowNanos) {
    entries.values().removeIf(e -> nowNanos - e.createdNanos > windowNanos);
  }

  int size() {
    return entries.size();
  }
}
