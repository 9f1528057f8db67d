package net.tinyisp.pppoe.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * RFC 2516 Appendix A: a discovery TAG, TAG_TYPE(2) TAG_LENGTH(2) TAG_VALUE. Unknown types are kept as they are
 * (Appendix A: "Unknown TAG_TYPES MUST be ignored") so that echo rules can still apply.
 */
public record Tag(int type, byte[] value) {
  public static final int END_OF_LIST = 0x0000;
  public static final int SERVICE_NAME = 0x0101;
  public static final int AC_NAME = 0x0102;
  public static final int HOST_UNIQ = 0x0103;
  public static final int AC_COOKIE = 0x0104;
  public static final int VENDOR_SPECIFIC = 0x0105;
  public static final int RELAY_SESSION_ID = 0x0110;
  /** RFC 4638: the client asks for an MTU above 1492 on a network that carries baby jumbo frames. */
  public static final int PPP_MAX_PAYLOAD = 0x0120;
  public static final int SERVICE_NAME_ERROR = 0x0201;
  public static final int AC_SYSTEM_ERROR = 0x0202;
  public static final int GENERIC_ERROR = 0x0203;

  public Tag {
    if (type < 0 || type > 0xffff || value.length > 0xffff) throw new IllegalArgumentException("tag type/length are 16 bits");
    value = value.clone();
  }

  public static Tag text(int type, String s) {
    return new Tag(type, s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public int length() {
    return value.length;
  }

  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tag t && t.type == type && Arrays.equals(t.value, value);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return String.format("Tag[0x%04x:%s]", type, HexFormat.of().formatHex(value));
  }
}
