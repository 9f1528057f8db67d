package net.tinyisp.net.header;

import java.lang.foreign.MemorySegment;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * UDP header view (RFC 768).
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |                 |                 |
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * </pre>
 *
 * A computed checksum of zero is sent as 0xffff (RFC 768 "If the computed checksum is zero, it is transmitted as
 * all ones"); a zero field means "no checksum" in IPv4 and is invalid in IPv6 (RFC 8200 §8.1).
 */
public final class UdpHeader extends HeaderView {
  public static final int LENGTH = 8;
  public static final int OFFSET_CHECKSUM = 6;

  public UdpHeader wrap(MemorySegment segment, long offset) {
    point(segment, offset);
    return this;
  }

  /** The 8-byte header fits and the length field covers it and stays within {@code available}. */
  public boolean valid(long available) {
    return available >= LENGTH && length() >= LENGTH && length() <= available;
  }

  public int sourcePort() {
    return u16(0);
  }

  public UdpHeader sourcePort(int port) {
    u16(0, port);
    return this;
  }

  public int destinationPort() {
    return u16(2);
  }

  public UdpHeader destinationPort(int port) {
    u16(2, port);
    return this;
  }

  /** Length of header plus data in bytes. */
  public int length() {
    return u16(4);
  }

  public UdpHeader length(int value) {
    u16(4, value);
    return this;
  }

  public int checksum() {
    return u16(OFFSET_CHECKSUM);
  }

  public UdpHeader checksum(int value) {
    u16(OFFSET_CHECKSUM, value);
    return this;
  }

  public long payloadOffset() {
    return off + LENGTH;
  }

  /** Computes and stores the checksum over header and data ({@link #length()} bytes) plus the pseudo header. */
  public UdpHeader updateChecksum(long pseudoHeaderSum) {
    u16(OFFSET_CHECKSUM, 0);
    int c = InternetChecksum.finish(pseudoHeaderSum + InternetChecksum.sum(seg, off, length()));
    u16(OFFSET_CHECKSUM, c == 0 ? 0xffff : c);
    return this;
  }

  public boolean checksumValid(long pseudoHeaderSum) {
    return InternetChecksum.finish(pseudoHeaderSum + InternetChecksum.sum(seg, off, length())) == 0;
  }
}
