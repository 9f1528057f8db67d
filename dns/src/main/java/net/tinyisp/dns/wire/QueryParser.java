package net.tinyisp.dns.wire;

/**
 * Reads a query from the wire (RFC 1035 §4.1) just far enough to serve it: header, one question, and the OPT
 * pseudo-record (RFC 6891 §6.1) among the additional records. Every read is bounded by the message length; it
 * never throws on any input.
 */
public final class QueryParser {
  private QueryParser() {}

  public static ParsedQuery parse(byte[] m) {
    return parse(m, m.length);
  }

  public static ParsedQuery parse(byte[] m, int len) {
    return parse(m, len, new ParsedQuery(), false);
  }

  /**
   * As {@link #parse(byte[], int)}, into {@code q} (reset first) and its key array when that is long enough: no
   * allocation per query on the UDP hot path. Only {@code q.keyLength()} bytes of {@code q.key()} are the key.
   */
  public static ParsedQuery parseInto(byte[] m, int len, ParsedQuery q) {
    q.reset();
    return parse(m, len, q, true);
  }

  private static ParsedQuery parse(byte[] m, int len, ParsedQuery q, boolean reuseKey) {
    if (len < 12) {
      q.status = ParsedQuery.Status.DROP_SHORT;
      return q;
    }
    q.id = u16(m, 0);
    q.flags = u16(m, 2);
    if ((q.flags & 0x8000) != 0) {
      q.status = ParsedQuery.Status.DROP_RESPONSE;
      return q;
    }
    int qd = u16(m, 4), an = u16(m, 6), ns = u16(m, 8), ar = u16(m, 10);
    if (q.opcode() != 0) {
      q.status = ParsedQuery.Status.NOTIMP; // RFC 1035 §4.1.1: only standard QUERY is served
      return q;
    }
    // RFC 1035 allows QDCOUNT > 1 in theory; nobody serves it (RFC 9619), and a query carries no answers.
    if (qd != 1 || an != 0 || ns != 0 || ar > 8) {
      q.status = ParsedQuery.Status.FORMERR;
      return q;
    }
    // RFC 1035 §4.1.2: the qname is a label sequence; no compression pointer can occur in the first name
    int p = 12;
    int nameLen = 0;
    while (true) {
      if (p >= len) return formerr(q);
      int l = m[p] & 0xff;
      if (l == 0) {
        nameLen++;
        p++;
        break;
      }
      if (l > 63 || nameLen + 1 + l + 1 > 255 || p + 1 + l > len) return formerr(q);
      nameLen += 1 + l;
      p += 1 + l;
    }
    if (p + 4 > len) return formerr(q);
    q.qtype = u16(m, p);
    q.qclass = u16(m, p + 2);
    p += 4;
    q.questionEnd = p;
    boolean sawOpt = false;
    for (int i = 0; i < ar; i++) {
      int nameStart = p;
      p = skipName(m, p, len);
      if (p < 0 || p + 10 > len) return formerr(q);
      int type = u16(m, p), cls = u16(m, p + 2);
      long ttl = (long) u16(m, p + 4) << 16 | u16(m, p + 6);
      int rdlen = u16(m, p + 8);
      p += 10;
      if (p + rdlen > len) return formerr(q);
      if (type == 41) {
        // RFC 6891 §6.1.1: one OPT, owner the root
        if (sawOpt || p - 10 - nameStart != 1) return formerr(q);
        sawOpt = true;
        q.edns = true;
        q.ednsSize = cls;
        q.dnssecOk = (ttl & 0x8000) != 0;
        int version = (int) (ttl >> 16 & 0xff);
        for (int o = p; o < p + rdlen; ) { // options must exactly fill RDATA
          if (o + 4 > p + rdlen) return formerr(q);
          o += 4 + u16(m, o + 2);
          if (o > p + rdlen) return formerr(q);
        }
        if (version != 0) q.status = ParsedQuery.Status.BADVERS;
      }
      p += rdlen;
    }
    if (p != len) return formerr(q);
    byte[] key = reuseKey && q.key != null && q.key.length >= nameLen + 5 ? q.key : new byte[nameLen + 5];
    for (int i = 0; i < nameLen; i++) {
      byte b = m[12 + i]; // length octets are at most 63, below 'A': lower-casing them is a no-op
      key[i] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
    key[nameLen] = (byte) (q.qtype >> 8);
    key[nameLen + 1] = (byte) q.qtype;
    key[nameLen + 2] = (byte) (q.qclass >> 8);
    key[nameLen + 3] = (byte) q.qclass;
    key[nameLen + 4] = (byte) ((q.dnssecOk ? 2 : 0) | (q.checkingDisabled() ? 1 : 0));
    q.key = key;
    q.keyLength = nameLen + 5;
    return q;
  }

  private static ParsedQuery formerr(ParsedQuery q) {
    q.status = ParsedQuery.Status.FORMERR;
    return q;
  }

  /** Skips a possibly compressed name; -1 when it runs past the end or is not a valid label sequence. */
  static int skipName(byte[] m, int p, int len) {
    while (true) {
      if (p >= len) return -1;
      int l = m[p] & 0xff;
      if (l == 0) return p + 1;
      if ((l & 0xc0) == 0xc0) return p + 2 <= len ? p + 2 : -1;
      if ((l & 0xc0) != 0) return -1;
      p += 1 + l;
    }
  }

  static int u16(byte[] m, int p) {
    return (m[p] & 0xff) << 8 | m[p + 1] & 0xff;
  }
}
