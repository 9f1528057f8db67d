package net.tinyisp.ppp.wire;

/** RFC 1661 §5: control packet codes. LCP uses all of them; IPCP and IPv6CP only 1-7 (RFC 1332 §2, RFC 5072 §3). */
public final class Code {
  public static final int CONFIGURE_REQUEST = 1;
  public static final int CONFIGURE_ACK = 2;
  public static final int CONFIGURE_NAK = 3;
  public static final int CONFIGURE_REJECT = 4;
  public static final int TERMINATE_REQUEST = 5;
  public static final int TERMINATE_ACK = 6;
  public static final int CODE_REJECT = 7;
  public static final int PROTOCOL_REJECT = 8;
  public static final int ECHO_REQUEST = 9;
  public static final int ECHO_REPLY = 10;
  public static final int DISCARD_REQUEST = 11;

  private Code() {}
}
