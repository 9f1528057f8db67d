package net.tinyisp.ppp.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * RFC 1661 §6: one Configuration Option, Type(1) Length(1) Data; Length counts the two header octets. The data of
 * Configure-Request/Ack/Nak/Reject packets is a list of these. Unknown types are kept as they are, so that they can
 * be rejected verbatim (§5.4: Configure-Reject carries the options exactly as received).
 */
public record ConfigOption(int type, byte[] data) {
  public ConfigOption {
    if (type < 0 || type > 255 || data.length > 253) {
      throw new IllegalArgumentException("option type is one octet and data at most 253 octets");
    }
    data = data.clone();
  }

  public static List<ConfigOption> parseList(byte[] bytes) {
    List<ConfigOption> out = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    while (in.hasRemaining()) {
      if (in.remaining() < 2) {
        throw new MalformedPacketException("option header cut short");
      }
      int type = in.get() & 0xff;
      int len = in.get() & 0xff;
      if (len < 2 || len - 2 > in.remaining()) {
        throw new MalformedPacketException("option " + type + " Length " + len + " outside 2.." + (in.remaining() + 2));
      }
      byte[] data = new byte[len - 2];
      in.get(data);
      out.add(new ConfigOption(type, data));
    }
    return out;
  }

  public static byte[] toBytes(List<ConfigOption> options) {
    int n = options.stream().mapToInt(o -> o.data.length + 2).sum();
    ByteBuffer b = ByteBuffer.allocate(n);
    for (ConfigOption o : options) {
      b.put((byte) o.type).put((byte) (o.data.length + 2)).put(o.data);
    }
    return b.array();
  }

  public static ConfigOption u16(int type, int value) {
    return new ConfigOption(type, new byte[] {(byte) (value >> 8), (byte) value});
  }

  public static ConfigOption u32(int type, int value) {
    return new ConfigOption(type, ByteBuffer.allocate(4).putInt(value).array());
  }

  /** The data as an unsigned big-endian number; callers check the length first. */
  public long asNumber() {
    long v = 0;
    for (byte b : data) v = v << 8 | (b & 0xff);
    return v;
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public int dataLength() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigOption c && c.type == type && Arrays.equals(c.data, data);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Option[" + type + ":" + HexFormat.of().formatHex(data) + "]";
  }
}
