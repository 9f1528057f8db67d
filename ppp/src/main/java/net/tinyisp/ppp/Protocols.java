package net.tinyisp.ppp;

/** PPP protocol numbers (IANA "PPP DLL Protocol Numbers") that tinyisp speaks. */
public final class Protocols {
  public static final int IPV4 = 0x0021;
  public static final int IPV6 = 0x0057;
  public static final int IPCP = 0x8021;
  public static final int IPV6CP = 0x8057;
  public static final int LCP = 0xc021;
  public static final int PAP = 0xc023;
  public static final int CHAP = 0xc223;

  private Protocols() {}

  public static String name(int protocol) {
    return switch (protocol) {
      case IPV4 -> "IPv4";
      case IPV6 -> "IPv6";
      case IPCP -> "IPCP";
      case IPV6CP -> "IPv6CP";
      case LCP -> "LCP";
      case PAP -> "PAP";
      case CHAP -> "CHAP";
      default -> String.format("0x%04x", protocol);
    };
  }
}
