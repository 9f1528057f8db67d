package net.tinyisp.pppoe.wire;

import java.util.HexFormat;

/** A 48-bit Ethernet address held in the low bits of a long, so session tables key on it without allocation. */
public record MacAddress(long value) {
  public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

  public MacAddress {
    if ((value & ~0xffff_ffff_ffffL) != 0) throw new IllegalArgumentException("a MAC address is 48 bits");
  }

  public static MacAddress of(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 6; i++) v = v << 8 | (b[off + i] & 0xff);
    return new MacAddress(v);
  }

  public static MacAddress parse(String text) {
    String hex = text.replace(":", "").replace("-", "");
    if (!hex.matches("[0-9a-fA-F]{12}")) throw new IllegalArgumentException("'" + text + "' is not a MAC address");
    return new MacAddress(Long.parseLong(hex, 16));
  }

  public void write(byte[] b, int off) {
    for (int i = 5; i >= 0; i--) b[off + 5 - i] = (byte) (value >>> (8 * i));
  }

  public byte[] bytes() {
    byte[] b = new byte[6];
    write(b, 0);
    return b;
  }

  public boolean isMulticast() {
    return (value >>> 40 & 1) != 0;
  }

  @Override
  public String toString() {
    String h = HexFormat.of().toHexDigits(value).substring(4);
    return String.join(":", h.substring(0, 2), h.substring(2, 4), h.substring(4, 6), h.substring(6, 8),
        h.substring(8, 10), h.substring(10, 12));
  }
}
