package net.tinyisp.net.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/** Hex fixtures: whitespace and {@code |}-separated annotations are ignored, so fixtures can name their fields. */
public final class Hex {
  private Hex() {}

  public static byte[] bytes(String annotated) {
    StringBuilder sb = new StringBuilder();
    for (String line : annotated.split("\n")) {
      String code = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
      sb.append(code.replaceAll("[\\s|]", ""));
    }
    return HexFormat.of().parseHex(sb.toString());
  }

  public static MemorySegment segment(String annotated) {
    byte[] b = bytes(annotated);
    MemorySegment s = Arena.ofAuto().allocate(b.length);
    MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
    return s;
  }

  /** The textbook RFC 1071 loop, 16 bits at a time, as the reference the fast path is checked against. */
  public static int referenceChecksum(byte[] b, int off, int len, long extraSum) {
    long sum = extraSum;
    int i = off;
    for (; i + 1 < off + len; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < off + len) {
      sum += (b[i] & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
