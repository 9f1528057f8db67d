package net.tinyisp.radius.dictionary;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import net.tinyisp.common.net.AddressText;
import net.tinyisp.common.net.IpPrefix;

/**
 * Presentation text of attribute values, both ways, per data type (RFC 8044 wire forms). Dates print as ISO-8601
 * UTC ({@code 2026-11-26T03:50:00Z}) and parse from that or from seconds; octets print as {@code 0x} hex. A value
 * whose length does not fit its type prints as hex, so nothing received is lost.
 */
public final class ValueText {
  private ValueText() {}

  public static String format(DataType type, byte[] v, AttributeDef def) {
    switch (type) {
      case STRING:
        return new String(v, StandardCharsets.UTF_8);
      case INTEGER:
        if (v.length != 4) break;
        long n = ByteBuffer.wrap(v).getInt() & 0xffffffffL;
        String name = def == null ? null : def.valueName(n);
        return name != null ? name : Long.toString(n);
      case SIGNED:
        if (v.length != 4) break;
        return Integer.toString(ByteBuffer.wrap(v).getInt());
      case BYTE:
        if (v.length != 1) break;
        return valueOrName(v[0] & 0xff, def);
      case SHORT:
        if (v.length != 2) break;
        return valueOrName(ByteBuffer.wrap(v).getShort() & 0xffff, def);
      case INTEGER64:
        if (v.length != 8) break;
        return Long.toUnsignedString(ByteBuffer.wrap(v).getLong());
      case IPADDR:
      case IPV6ADDR:
        if (v.length != (type == DataType.IPADDR ? 4 : 16)) break;
        return AddressText.format(v);
      case IPV6PREFIX: {
        // RFC 3162 §2.3: Reserved, Prefix-Length, Prefix (only the significant octets need be sent)
        if (v.length < 2 || v.length > 18 || (v[1] & 0xff) > 128) break;
        byte[] a = Arrays.copyOf(Arrays.copyOfRange(v, 2, v.length), 16);
        return AddressText.format(a) + "/" + (v[1] & 0xff);
      }
      case DATE:
        if (v.length != 4) break;
        return Instant.ofEpochSecond(ByteBuffer.wrap(v).getInt() & 0xffffffffL).toString();
      case OCTETS:
        break;
    }
    return "0x" + HexFormat.of().formatHex(v);
  }

  private static String valueOrName(long n, AttributeDef def) {
    String name = def == null ? null : def.valueName(n);
    return name != null ? name : Long.toString(n);
  }

  /** Encodes presentation text; IllegalArgumentException names what was expected. */
  public static byte[] parse(DataType type, String text, AttributeDef def) {
    String s = text.strip();
    try {
      return switch (type) {
        case STRING -> text.getBytes(StandardCharsets.UTF_8);
        case OCTETS -> s.startsWith("0x") || s.startsWith("0X") ? HexFormat.of().parseHex(s.substring(2))
            : text.getBytes(StandardCharsets.UTF_8);
        case INTEGER -> ByteBuffer.allocate(4).putInt((int) unsigned(s, def, 0xffffffffL)).array();
        case SIGNED -> ByteBuffer.allocate(4).putInt(Integer.parseInt(s)).array();
        case BYTE -> new byte[] {(byte) unsigned(s, def, 0xff)};
        case SHORT -> ByteBuffer.allocate(2).putShort((short) unsigned(s, def, 0xffff)).array();
        case INTEGER64 -> ByteBuffer.allocate(8).putLong(Long.parseUnsignedLong(s)).array();
        case IPADDR -> address(s, 4);
        case IPV6ADDR -> address(s, 16);
        case IPV6PREFIX -> {
          IpPrefix p = IpPrefix.parse(s);
          if (p.isIpv4()) throw new IllegalArgumentException("an IPv6 prefix");
          int octets = (p.length() + 7) / 8;
          byte[] out = new byte[2 + octets];
          out[1] = (byte) p.length();
          System.arraycopy(p.network(), 0, out, 2, octets);
          yield out;
        }
        case DATE -> {
          long secs = s.chars().allMatch(Character::isDigit) ? Long.parseLong(s) : Instant.parse(s).getEpochSecond();
          if (secs < 0 || secs > 0xffffffffL) throw new IllegalArgumentException("a date in 1970..2106");
          yield ByteBuffer.allocate(4).putInt((int) secs).array();
        }
      };
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid " + type.name().toLowerCase(java.util.Locale.ROOT)
          + (def == null ? "" : " for " + def.name()) + describe(type), e);
    }
  }

  private static String describe(DataType t) {
    return switch (t) {
      case INTEGER, BYTE, SHORT, INTEGER64, SIGNED -> " (a number or a VALUE name)";
      case IPADDR -> " (dotted IPv4)";
      case IPV6ADDR -> " (IPv6 address)";
      case IPV6PREFIX -> " (IPv6 prefix such as 2001:db8::/48)";
      case DATE -> " (seconds since 1970 or ISO-8601 such as 2026-01-01T00:00:00Z)";
      case OCTETS -> " (0x hex)";
      case STRING -> "";
    };
  }

  private static long unsigned(String s, AttributeDef def, long max) {
    Long named = def == null ? null : def.valueOf(s);
    long v = named != null ? named : Long.parseLong(s);
    if (v < 0 || v > max) throw new IllegalArgumentException("out of range 0.." + max);
    return v;
  }

  private static byte[] address(String s, int len) {
    if (!(len == 4 ? s.matches("[0-9.]+") : s.matches("[0-9A-Fa-f:.]+"))) {
      throw new IllegalArgumentException("not an address");
    }
    try {
      byte[] a = InetAddress.getByName(s).getAddress();
      if (a.length != len) throw new IllegalArgumentException("wrong family");
      return a;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address", e);
    }
  }
}
