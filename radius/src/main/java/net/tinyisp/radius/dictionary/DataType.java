package net.tinyisp.radius.dictionary;

/**
 * Attribute data types of FreeRADIUS dictionaries, with the RFC that defines each wire form (RFC 8044 collects
 * them). Types that only carry opaque octets here ({@code ether}, {@code ifid}, {@code abinary}, {@code octets[N]},
 * {@code combo-ip}, {@code ipv4prefix}) map to {@link #OCTETS} and keep their bytes.
 */
public enum DataType {
  STRING, // RFC 2865 §5 "text"/"string", 1-253 octets
  OCTETS,
  INTEGER, // 32-bit unsigned, network order
  IPADDR, // 4 octets
  IPV6ADDR, // 16 octets, RFC 3162 §2.1
  IPV6PREFIX, // reserved, prefix-length, prefix (0-16 octets), RFC 3162 §2.3
  DATE, // 32-bit seconds since 1970-01-01 UTC
  BYTE,
  SHORT,
  INTEGER64, // 64-bit unsigned, RFC 2869 / RFC 6929 "integer64"
  SIGNED; // 32-bit two's complement

  /** The dictionary keyword, or null for a structural type this implementation skips (tlv, extended, evs, vsa). */
  public static DataType ofKeyword(String keyword) {
    String k = keyword.toLowerCase(java.util.Locale.ROOT);
    if (k.startsWith("octets[")) return OCTETS;
    return switch (k) {
      case "string" -> STRING;
      case "octets", "ether", "ifid", "abinary", "combo-ip", "ipv4prefix" -> OCTETS;
      case "integer", "uint32" -> INTEGER;
      case "ipaddr" -> IPADDR;
      case "ipv6addr" -> IPV6ADDR;
      case "ipv6prefix" -> IPV6PREFIX;
      case "date" -> DATE;
      case "byte" -> BYTE;
      case "short", "uint16" -> SHORT;
      case "integer64" -> INTEGER64;
      case "signed" -> SIGNED;
      default -> null;
    };
  }

  /** Structural RFC 6929 / FreeRADIUS types that the parser knows and deliberately skips. */
  static boolean isStructural(String keyword) {
    return switch (keyword.toLowerCase(java.util.Locale.ROOT)) {
      case "tlv", "extended", "long-extended", "evs", "vsa", "struct" -> true;
      default -> false;
    };
  }
}
