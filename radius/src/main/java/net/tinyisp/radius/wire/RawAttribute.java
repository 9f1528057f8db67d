package net.tinyisp.radius.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One attribute as it sits on the wire (RFC 2865 §5): Type, and a Value of 0..253 octets. Meaning comes from the
 * dictionary; the codec keeps every attribute, known or not, with its raw bytes.
 */
public record RawAttribute(int type, byte[] value) {

  public static final int MAX_VALUE_LENGTH = 253;

  public RawAttribute {
    if (type < 1 || type > 255) {
      throw new IllegalArgumentException("attribute type " + type + " is outside 1..255");
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException("attribute " + type + " value is " + value.length
          + " octets, the most an attribute carries is " + MAX_VALUE_LENGTH + " (RFC 2865 §5)");
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value without a copy, for codecs in this package. */
  byte[] valueUnsafe() {
    return value;
  }

  public int wireLength() {
    return 2 + value.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawAttribute a && a.type == type && Arrays.equals(a.value, value);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Attr-" + type + "=0x" + HexFormat.of().formatHex(value);
  }
}
