package net.tinyisp.dns.doh;

/**
 * A cheap structural check of a DNS message (RFC 1035 §4.1) before it is handed on: the header, question and
 * records walk to exactly the end of the bytes. It does not interpret RDATA; the handler does that.
 */
public final class WireShape {
  private WireShape() {}

  /** QR=0, and the sections walk to the end of the message. */
  public static boolean isQuery(byte[] m) {
    return m.length >= 12 && (m[2] & 0x80) == 0 && walksToEnd(m);
  }

  public static boolean walksToEnd(byte[] m) {
    return walk(m, (ttlOffset, type) -> { }) == m.length;
  }

  /** Called for each resource record of a walk with the offset of its TTL field and its type. */
  interface RecordVisitor {
    void visit(int ttlOffset, int type);
  }

  /**
   * Walks the question and the answer, authority and additional records with bounded reads, visiting each record;
   * the offset after the last record, or -1 when the message does not walk cleanly.
   */
  static int walk(byte[] m, RecordVisitor v) {
    if (m.length < 12) return -1;
    int qd = u16(m, 4);
    int rr = u16(m, 6) + u16(m, 8) + u16(m, 10);
    int p = 12;
    for (int i = 0; i < qd; i++) {
      p = skipName(m, p);
      if (p < 0 || p + 4 > m.length) return -1;
      p += 4;
    }
    for (int i = 0; i < rr; i++) {
      p = skipName(m, p);
      if (p < 0 || p + 10 > m.length) return -1;
      int type = u16(m, p);
      int rdlength = u16(m, p + 8);
      if (p + 10 + rdlength > m.length) return -1;
      v.visit(p + 4, type);
      p += 10 + rdlength;
    }
    return p;
  }

  /** Offset after the owner name at {@code p}, or -1. A compression pointer ends the name (RFC 1035 §4.1.4). */
  static int skipName(byte[] m, int p) {
    for (int labels = 0; labels < 128; labels++) {
      if (p >= m.length) return -1;
      int len = m[p] & 0xff;
      if (len == 0) return p + 1;
      if ((len & 0xc0) == 0xc0) return p + 2 <= m.length ? p + 2 : -1;
      if ((len & 0xc0) != 0) return -1;
      p += 1 + len;
    }
    return -1;
  }

  static int u16(byte[] m, int o) {
    return (m[o] & 0xff) << 8 | (m[o + 1] & 0xff);
  }
}
