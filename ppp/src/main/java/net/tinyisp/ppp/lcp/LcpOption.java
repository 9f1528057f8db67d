package net.tinyisp.ppp.lcp;

/** RFC 1661 §6 (and RFC 1570 for the rest) LCP Configuration Option types tinyisp handles by name. */
public final class LcpOption {
  public static final int MRU = 1;
  public static final int ACCM = 2;
  public static final int AUTH_PROTOCOL = 3;
  public static final int QUALITY_PROTOCOL = 4;
  public static final int MAGIC_NUMBER = 5;
  public static final int PFC = 7;
  public static final int ACFC = 8;

  private LcpOption() {}
}
