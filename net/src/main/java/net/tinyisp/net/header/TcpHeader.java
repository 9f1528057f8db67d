package net.tinyisp.net.header;

import java.lang.foreign.MemorySegment;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * TCP header view (RFC 9293 §3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TcpHeader extends HeaderView {
  public static final int MIN_LENGTH = 20;
  public static final int OFFSET_CHECKSUM = 16;
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  public static final int URG = 0x20;
  public static final int ECE = 0x40;
  public static final int CWR = 0x80;

  public TcpHeader wrap(MemorySegment segment, long offset) {
    point(segment, offset);
    return this;
  }

  /** A data offset of at least 5 words whose header fits in {@code available} bytes. */
  public boolean valid(long available) {
    if (available < MIN_LENGTH) {
      return false;
    }
    int hl = headerLength();
    return hl >= MIN_LENGTH && hl <= available;
  }

  public int sourcePort() {
    return u16(0);
  }

  public TcpHeader sourcePort(int port) {
    u16(0, port);
    return this;
  }

  public int destinationPort() {
    return u16(2);
  }

  public TcpHeader destinationPort(int port) {
    u16(2, port);
    return this;
  }

  public int sequenceNumber() {
    return s32(4);
  }

  public TcpHeader sequenceNumber(int value) {
    s32(4, value);
    return this;
  }

  public int acknowledgmentNumber() {
    return s32(8);
  }

  public TcpHeader acknowledgmentNumber(int value) {
    s32(8, value);
    return this;
  }

  /** Header length in bytes (Data Offset x 4). */
  public int headerLength() {
    return (u8(12) >>> 4) * 4;
  }

  /** Sets the data offset from a byte length, clearing the reserved bits. */
  public TcpHeader headerLength(int bytes) {
    u8(12, (bytes / 4) << 4);
    return this;
  }

  public int flags() {
    return u8(13);
  }

  public TcpHeader flags(int value) {
    u8(13, value);
    return this;
  }

  public boolean has(int flag) {
    return (u8(13) & flag) != 0;
  }

  public int window() {
    return u16(14);
  }

  public TcpHeader window(int value) {
    u16(14, value);
    return this;
  }

  public int checksum() {
    return u16(OFFSET_CHECKSUM);
  }

  public TcpHeader checksum(int value) {
    u16(OFFSET_CHECKSUM, value);
    return this;
  }

  public int urgentPointer() {
    return u16(18);
  }

  public TcpHeader urgentPointer(int value) {
    u16(18, value);
    return this;
  }

  public long payloadOffset() {
    return off + headerLength();
  }

  /**
   * Computes and stores the checksum over this header and {@code segmentLength - header} bytes of data that follow
   * it, given the pseudo-header sum (from {@link Ipv4Header#pseudoHeaderSum} or {@link Ipv6Header#pseudoHeaderSum}).
   */
  public TcpHeader updateChecksum(long pseudoHeaderSum, int segmentLength) {
    u16(OFFSET_CHECKSUM, 0);
    u16(OFFSET_CHECKSUM, InternetChecksum.finish(pseudoHeaderSum + InternetChecksum.sum(seg, off, segmentLength)));
    return this;
  }

  public boolean checksumValid(long pseudoHeaderSum, int segmentLength) {
    return InternetChecksum.finish(pseudoHeaderSum + InternetChecksum.sum(seg, off, segmentLength)) == 0;
  }
}
