package net.tinyisp.dns.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A rendered answer and the cache key it answers, flattened into one byte array, so that a cache hit touches one
 * object after the index slot instead of the eight or so a hash map entry, key, cache entry, memo and template take
 * (each a likely CPU cache miss with tens of thousands of names cached). Layout:
 *
 * <pre>
 *  0  expires (nanoTime, 8)     8  created (nanoTime, 8)
 * 16  key length (2)           18  wire length (2)      20  TTL count (2)   22  variant (1)   23  synthesized (1)
 * 24  key bytes | wire bytes (TTLs as first stored) | TTL offsets into the wire (2 each)
 * </pre>
 */
public final class FlatAnswer {
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int HEADER = 24;

  private FlatAnswer() {}

  /** The record for the first {@code keyLength} bytes of {@code key}. */
  public static byte[] of(AnswerTemplate t, byte[] key, int keyLength, int variant, long expiresNanos) {
    byte[] wire = t.wire();
    int[] offs = t.ttlOffsets();
    byte[] r = new byte[HEADER + keyLength + wire.length + 2 * offs.length];
    LONG.set(r, 0, expiresNanos);
    LONG.set(r, 8, t.createdNanos());
    u16(r, 16, keyLength);
    u16(r, 18, wire.length);
    u16(r, 20, offs.length);
    r[22] = (byte) variant;
    r[23] = (byte) (t.synthesized() ? 1 : 0);
    System.arraycopy(key, 0, r, HEADER, keyLength);
    System.arraycopy(wire, 0, r, HEADER + keyLength, wire.length);
    int p = HEADER + keyLength + wire.length;
    for (int o : offs) {
      u16(r, p, o);
      p += 2;
    }
    return r;
  }

  /** True when {@code r} answers this key (its first {@code keyLength} bytes) and variant, fresh at {@code nowNanos}. */
  public static boolean matches(byte[] r, byte[] key, int keyLength, int variant, long nowNanos) {
    int klen = QueryParser.u16(r, 16);
    return klen == keyLength && (r[22] & 0xff) == variant && (long) LONG.get(r, 0) - nowNanos > 0
        && Arrays.equals(r, HEADER, HEADER + klen, key, 0, klen);
  }

  public static int length(byte[] r) {
    return QueryParser.u16(r, 18);
  }

  public static boolean synthesized(byte[] r) {
    return r[23] != 0;
  }

  /** The response code of the answer (RFC 1035 §4.1.1). */
  public static int rcode(byte[] r) {
    return r[HEADER + QueryParser.u16(r, 16) + 3] & 0xf;
  }

  /** As {@link AnswerTemplate#writeAnswer(byte[], byte[], ParsedQuery, long)}, from the flat form. */
  public static void writeAnswer(byte[] r, byte[] out, byte[] query, ParsedQuery q, long nowNanos) {
    int w = HEADER + QueryParser.u16(r, 16);
    int wlen = QueryParser.u16(r, 18);
    System.arraycopy(r, w, out, 0, wlen);
    out[0] = (byte) (q.id() >> 8);
    out[1] = (byte) q.id();
    out[2] = (byte) (r[w + 2] & ~0x01 | (q.flags() >> 8 & 0x01)); // RD echoed (RFC 1035 §4.1.1)
    out[3] = (byte) (r[w + 3] & ~0x10 | (q.flags() & 0x10)); // CD echoed (RFC 4035 §3.2.2)
    int qlen = q.questionEnd() - 12;
    if (QueryParser.u16(r, w + 4) == 1 && 12 + qlen <= wlen) System.arraycopy(query, 12, out, 12, qlen);
    long age = (nowNanos - (long) LONG.get(r, 8)) / 1_000_000_000L;
    if (age > 0) {
      int n = QueryParser.u16(r, 20);
      for (int i = 0, p = w + wlen; i < n; i++, p += 2) {
        int o = QueryParser.u16(r, p);
        long stored = (long) QueryParser.u16(out, o) << 16 | QueryParser.u16(out, o + 2);
        long t = Math.max(0, stored - age); // RFC 1035 §7.3 / RFC 2181 §8: aged by the time spent in the cache
        out[o] = (byte) (t >> 24);
        out[o + 1] = (byte) (t >> 16);
        out[o + 2] = (byte) (t >> 8);
        out[o + 3] = (byte) t;
      }
    }
  }

  private static void u16(byte[] b, int p, int v) {
    b[p] = (byte) (v >> 8);
    b[p + 1] = (byte) v;
  }
}
