package net.tinyisp.dns.resolver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import net.tinyisp.dns.wire.FlatAnswer;

/**
 * The cache-hit path's own index: a two-way set-associative table from (cache key, view variant) to a {@link FlatAnswer}.
 * A lookup reads one int (a hash filter), one reference and one byte array, where the {@code AnswerCache} path
 * follows a hash map node, its key, the entry, the per-view memo and the template (JFR: the map lookup alone was
 * 12 % of the UDP thread's CPU). Each set of two slots holds the last two answers stored for keys hashing to it; a
 * record is used only when its key, variant and expiry match, so a stale or overwritten slot is a miss, never a wrong answer.
 * It is filled from answers the cache served, and its size is fixed at start (at most one record per slot), so
 * it adds at most {@code slots} small arrays next to the cache. Threads race on slots harmlessly: each record is
 * immutable once published and checked in full before use.
 */
final class HitIndex {
  private static final VarHandle RECORDS = MethodHandles.arrayElementVarHandle(byte[][].class);

  private final int[] hashes;
  private final byte[][] records;
  private final int shift;

  /** Twice the cache size rounded up to a power of two, within 2^11..2^22 slots. */
  HitIndex(int cacheSize) {
    int want = (int) Math.max(1024, Math.min(1 << 21, (long) cacheSize));
    int slots = Integer.highestOneBit(want - 1) << 2;
    hashes = new int[slots];
    records = new byte[slots][];
    shift = 32 - Integer.numberOfTrailingZeros(slots);
  }

  /** Arrays.hashCode of the key's first {@code len} bytes, mixed with the variant. */
  static int hash(byte[] key, int len, int variant) {
    int h = 1;
    for (int i = 0; i < len; i++) h = 31 * h + key[i];
    return h * 31 + variant;
  }

  private int slot(int h) {
    return (h * 0x9E3779B9) >>> shift; // Fibonacci hashing: the top bits, well mixed
  }

  /** The record answering {@code key} for {@code variant} at {@code nowNanos}, or null. */
  byte[] get(byte[] key, int keyLength, int variant, int h, long nowNanos) {
    int i = slot(h);
    // two ways per set (slots i and i^1, one CPU cache line of hashes): two keys on one slot do not evict each other
    if (hashes[i] != h && hashes[i ^= 1] != h) return null;
    byte[] r = (byte[]) RECORDS.getAcquire(records, i); // pairs with put's release: a complete array
    return r != null && FlatAnswer.matches(r, key, keyLength, variant, nowNanos) ? r : null;
  }

  void put(int h, byte[] record) {
    int i = slot(h);
    // the same key's way, else a free one, else the way the hash's low bit picks
    if (hashes[i] != h && (hashes[i ^ 1] == h || (hashes[i] != 0 && (hashes[i ^ 1] == 0 || (h & 1) != 0)))) i ^= 1;
    RECORDS.setRelease(records, i, record);
    hashes[i] = h;
  }

  int slots() {
    return hashes.length;
  }
}
