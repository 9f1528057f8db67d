package net.tinyisp.dns.wire;

/**
 * The parts of a query the hot path needs, read without building a full message: header fields, the question
 * (its end offset, type, class and a lower-cased cache key) and EDNS (RFC 6891). {@code status} says whether it
 * can be served; for the error statuses the header fields that were read are still valid for the error answer.
 */
public final class ParsedQuery {
  public enum Status { OK, DROP_SHORT, DROP_RESPONSE, FORMERR, NOTIMP, BADVERS }

  Status status = Status.OK;
  int id;
  int flags;
  /** Offset just after the question; 12 when the question could not be read. */
  int questionEnd = 12;
  int qtype;
  int qclass;
  boolean edns;
  int ednsSize;
  boolean dnssecOk;
  /** Lower-cased qname in wire form followed by qtype, qclass and the DO/CD bits: the cache key. */
  byte[] key;
  /** Bytes of {@link #key} in use: its length, except in a reused query ({@link QueryParser#parseInto}). */
  int keyLength;

  /** Back to the state of a new instance, keeping the key array for reuse. */
  void reset() {
    status = Status.OK;
    id = 0;
    flags = 0;
    questionEnd = 12;
    qtype = 0;
    qclass = 0;
    edns = false;
    ednsSize = 0;
    dnssecOk = false;
    keyLength = 0;
  }

  public Status status() {
    return status;
  }

  public int id() {
    return id;
  }

  public int flags() {
    return flags;
  }

  public boolean recursionDesired() {
    return (flags & 0x0100) != 0;
  }

  public boolean checkingDisabled() {
    return (flags & 0x0010) != 0;
  }

  public int opcode() {
    return flags >> 11 & 0xf;
  }

  public int questionEnd() {
    return questionEnd;
  }

  public int qtype() {
    return qtype;
  }

  public int qclass() {
    return qclass;
  }

  public boolean edns() {
    return edns;
  }

  /** The client's EDNS UDP payload size, or 512 without EDNS (RFC 6891 §6.2.5: below 512 means 512). */
  public int udpSize() {
    return edns ? Math.max(512, ednsSize) : 512;
  }

  public boolean dnssecOk() {
    return dnssecOk;
  }

  /** The cache key; from {@link QueryParser#parseInto} only its first {@link #keyLength()} bytes count. */
  public byte[] key() {
    return key;
  }

  public int keyLength() {
    return keyLength;
  }

  /** The lower-cased qname in wire form (a prefix of the key). */
  public int qnameLength() {
    return keyLength - 5;
  }
}
