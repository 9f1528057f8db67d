package net.tinyisp.ppp.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * RFC 1661 §5: the packet format shared by LCP, IPCP and IPv6CP (and, with other codes, PAP and CHAP).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Data ...
 * +-+-+-+-+
 * </pre>
 *
 * Octets beyond Length are padding and ignored (§5); a Length shorter than 4 or longer than what arrived makes the
 * packet malformed ({@link MalformedPacketException}), to be dropped and counted.
 */
public record ControlPacket(int code, int identifier, byte[] data) {
  public static final int HEADER = 4;

  public ControlPacket {
    if (code < 0 || code > 255 || identifier < 0 || identifier > 255) {
      throw new IllegalArgumentException("code and identifier are one octet each");
    }
    if (data.length > 65535 - HEADER) {
      throw new IllegalArgumentException("data too long for the Length field");
    }
    data = data.clone();
  }

  public static ControlPacket parse(ByteBuffer in) {
    if (in.remaining() < HEADER) {
      throw new MalformedPacketException("packet shorter than its 4-octet header: " + in.remaining());
    }
    int start = in.position();
    int code = in.get(start) & 0xff;
    int id = in.get(start + 1) & 0xff;
    int length = in.getShort(start + 2) & 0xffff;
    if (length < HEADER || length > in.remaining()) {
      throw new MalformedPacketException("Length " + length + " outside 4.." + in.remaining());
    }
    byte[] data = new byte[length - HEADER];
    in.get(start + HEADER, data);
    in.position(in.limit()); // the rest is padding (RFC 1661 §5)
    return new ControlPacket(code, id, data);
  }

  public int length() {
    return HEADER + data.length;
  }

  public void write(ByteBuffer out) {
    out.put((byte) code).put((byte) identifier).putShort((short) length()).put(data);
  }

  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(length());
    write(b);
    return b.array();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlPacket p && p.code == code && p.identifier == identifier && Arrays.equals(p.data, data);
  }

  @Override
  public int hashCode() {
    return (code * 31 + identifier) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ControlPacket[code=" + code + ", id=" + identifier + ", data=" + java.util.HexFormat.of().formatHex(data) + "]";
  }

}
