package net.tinyisp.dns.wire;

/**
 * Small answers built directly in wire form, without a message object: errors (FORMERR, REFUSED, NOTIMP,
 * SERVFAIL, BADVERS) and the truncated UDP answer (RFC 1035 §4.2.1, RFC 7766 §5: TC set, the client retries over
 * TCP). Both keep the question when it could be read and an OPT record when the client sent one (RFC 6891 §7).
 */
public final class Responses {
  public static final int NOERROR = 0, FORMERR = 1, SERVFAIL = 2, NXDOMAIN = 3, NOTIMP = 4, REFUSED = 5;
  /** Extended RCODE 16 = upper 8 bits 1 in the OPT TTL, lower 4 bits 0 in the header (RFC 6891 §6.1.3). */
  public static final int BADVERS = 16;

  private Responses() {}

  public static byte[] error(byte[] query, ParsedQuery q, int rcode, int ourUdpSize) {
    boolean withQuestion = q.status() != ParsedQuery.Status.FORMERR && q.status() != ParsedQuery.Status.NOTIMP
        && q.questionEnd() > 12;
    return header(query, q, withQuestion, rcode, false, ourUdpSize);
  }

  /** The answer that did not fit: header and question with TC=1, no records but OPT. */
  public static byte[] truncated(byte[] query, ParsedQuery q, byte[] response, int ourUdpSize) {
    byte[] out = header(query, q, true, response[3] & 0xf, true, ourUdpSize);
    // keep the real answer's flags (AA, AD, RCODE) so the client sees the same header it gets over TCP
    out[2] = (byte) (response[2] | 0x02);
    out[3] = response[3];
    return out;
  }

  private static byte[] header(byte[] query, ParsedQuery q, boolean withQuestion, int rcode, boolean tc, int size) {
    int qlen = withQuestion ? q.questionEnd() - 12 : 0;
    boolean opt = q.edns();
    byte[] out = new byte[12 + qlen + (opt ? 11 : 0)];
    out[0] = (byte) (q.id() >> 8);
    out[1] = (byte) q.id();
    int flags = 0x8000 | (q.flags() & 0x7910) | 0x0080 | (tc ? 0x0200 : 0) | (rcode & 0xf);
    out[2] = (byte) (flags >> 8);
    out[3] = (byte) flags;
    out[5] = (byte) (withQuestion ? 1 : 0);
    out[11] = (byte) (opt ? 1 : 0);
    if (qlen > 0) System.arraycopy(query, 12, out, 12, qlen);
    if (opt) {
      int p = 12 + qlen;
      out[p] = 0; // root owner
      out[p + 1] = 0;
      out[p + 2] = 41;
      out[p + 3] = (byte) (size >> 8);
      out[p + 4] = (byte) size;
      out[p + 5] = (byte) (rcode >> 4); // extended RCODE
      out[p + 6] = 0; // version 0
      out[p + 7] = (byte) (q.dnssecOk() ? 0x80 : 0);
    }
    return out;
  }

  /** The answer's RCODE including the extended bits of an OPT record is not needed for metrics: header only. */
  public static int rcode(byte[] response) {
    return response.length < 4 ? -1 : response[3] & 0xf;
  }
}
