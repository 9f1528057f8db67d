package net.tinyisp.dns.wire;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A rendered answer kept in the cache: its bytes and where each record's TTL sits, so a cache hit is one array
 * copy plus a few patches (ID, RD/CD, the client's question spelling for 0x20 case, TTLs aged by the time spent in
 * the cache, RFC 1035 §7.3 / RFC 2181 §8) instead of a message build.
 */
public final class AnswerTemplate {
  private final byte[] wire;
  private final int[] ttlOffsets;
  private final long[] ttls;
  private final long createdNanos;
  private final boolean synthesized;

  private AnswerTemplate(byte[] wire, int[] ttlOffsets, long[] ttls, long createdNanos, boolean synthesized) {
    this.wire = wire;
    this.ttlOffsets = ttlOffsets;
    this.ttls = ttls;
    this.createdNanos = createdNanos;
    this.synthesized = synthesized;
  }

  /** Indexes a response this module rendered; the OPT pseudo-record's TTL field is flags, not a TTL. */
  public static AnswerTemplate of(byte[] wire, long createdNanos, boolean synthesized) {
    int n = QueryParser.u16(wire, 6) + QueryParser.u16(wire, 8) + QueryParser.u16(wire, 10);
    int[] offs = new int[n];
    long[] ttls = new long[n];
    int count = 0;
    int p = 12;
    for (int i = 0; i < QueryParser.u16(wire, 4); i++) {
      p = QueryParser.skipName(wire, p, wire.length) + 4;
    }
    for (int i = 0; i < n; i++) {
      p = QueryParser.skipName(wire, p, wire.length);
      if (p < 0 || p + 10 > wire.length) throw new IllegalArgumentException("not a well-formed rendered answer");
      int type = QueryParser.u16(wire, p);
      if (type != 41) {
        offs[count] = p + 4;
        ttls[count++] = (long) QueryParser.u16(wire, p + 4) << 16 | QueryParser.u16(wire, p + 6);
      }
      p += 10 + QueryParser.u16(wire, p + 8);
    }
    return new AnswerTemplate(wire, Arrays.copyOf(offs, count), Arrays.copyOf(ttls, count), createdNanos, synthesized);
  }

  byte[] wire() {
    return wire;
  }

  int[] ttlOffsets() {
    return ttlOffsets;
  }

  long createdNanos() {
    return createdNanos;
  }

  public boolean synthesized() {
    return synthesized;
  }

  /** Size of the answer in bytes. */
  public int length() {
    return wire.length;
  }

  /** The response code of the answer (RFC 1035 §4.1.1). */
  public int rcode() {
    return wire[3] & 0xf;
  }

  /** The smallest TTL left at {@code nowNanos}; the template is stale at 0. */
  public long remainingTtl(long nowNanos) {
    long age = (nowNanos - createdNanos) / 1_000_000_000L;
    long min = Long.MAX_VALUE;
    for (long t : ttls) min = Math.min(min, t - age);
    return min == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, min);
  }

  /** The answer for this query: its ID, RD and CD bits and question bytes, TTLs reduced by the age. */
  public byte[] answer(byte[] query, ParsedQuery q, long nowNanos) {
    byte[] out = new byte[wire.length];
    writeAnswer(out, query, q, nowNanos);
    return out;
  }

  /** As {@link #answer}, written at the start of {@code out} (at least {@link #length()} long). */
  public void writeAnswer(byte[] out, byte[] query, ParsedQuery q, long nowNanos) {
    System.arraycopy(wire, 0, out, 0, wire.length);
    out[0] = (byte) (q.id() >> 8);
    out[1] = (byte) q.id();
    out[2] = (byte) (wire[2] & ~0x01 | (q.flags() >> 8 & 0x01)); // RD echoed (RFC 1035 §4.1.1)
    out[3] = (byte) (wire[3] & ~0x10 | (q.flags() & 0x10)); // CD echoed (RFC 4035 §3.2.2)
    int qlen = q.questionEnd() - 12;
    if (QueryParser.u16(wire, 4) == 1 && 12 + qlen <= wire.length) System.arraycopy(query, 12, out, 12, qlen);
    long age = (nowNanos - createdNanos) / 1_000_000_000L;
    if (age > 0) {
      for (int i = 0; i < ttlOffsets.length; i++) {
        long t = Math.max(0, ttls[i] - age);
        int o = ttlOffsets[i];
        out[o] = (byte) (t >> 24);
        out[o + 1] = (byte) (t >> 16);
        out[o + 2] = (byte) (t >> 8);
        out[o + 3] = (byte) t;
      }
    }
  }

  /** As {@link #answer}, written at the writer index of {@code out} (a pooled buffer) instead of a new array. */
  public void writeAnswer(ByteBuf out, byte[] query, ParsedQuery q, long nowNanos) {
    int b = out.writerIndex();
    out.writeBytes(wire);
    out.setByte(b, q.id() >> 8);
    out.setByte(b + 1, q.id());
    out.setByte(b + 2, wire[2] & ~0x01 | (q.flags() >> 8 & 0x01));
    out.setByte(b + 3, wire[3] & ~0x10 | (q.flags() & 0x10));
    int qlen = q.questionEnd() - 12;
    if (QueryParser.u16(wire, 4) == 1 && 12 + qlen <= wire.length) out.setBytes(b + 12, query, 12, qlen);
    long age = (nowNanos - createdNanos) / 1_000_000_000L;
    if (age > 0) {
      for (int i = 0; i < ttlOffsets.length; i++) out.setInt(b + ttlOffsets[i], (int) Math.max(0, ttls[i] - age));
    }
  }
}
