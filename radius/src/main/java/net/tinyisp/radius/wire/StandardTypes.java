package net.tinyisp.radius.wire;

/**
 * The attribute numbers the protocol machinery itself acts on. Everything else is looked up by name in the
 * dictionary; these few are fixed by the RFCs and needed before (or without) a dictionary.
 */
public final class StandardTypes {
  private StandardTypes() {}

  public static final int USER_NAME = 1; // RFC 2865 §5.1
  public static final int USER_PASSWORD = 2; // RFC 2865 §5.2
  public static final int CHAP_PASSWORD = 3; // RFC 2865 §5.3
  public static final int NAS_IP_ADDRESS = 4; // RFC 2865 §5.4
  public static final int REPLY_MESSAGE = 18; // RFC 2865 §5.18
  public static final int STATE = 24; // RFC 2865 §5.24
  public static final int VENDOR_SPECIFIC = 26; // RFC 2865 §5.26
  public static final int NAS_IDENTIFIER = 32; // RFC 2865 §5.32
  public static final int PROXY_STATE = 33; // RFC 2865 §5.33
  public static final int ACCT_STATUS_TYPE = 40; // RFC 2866 §5.1
  public static final int ACCT_SESSION_ID = 44; // RFC 2866 §5.5
  public static final int CHAP_CHALLENGE = 60; // RFC 2865 §5.40
  public static final int EAP_MESSAGE = 79; // RFC 3579 §3.1
  public static final int MESSAGE_AUTHENTICATOR = 80; // RFC 2869 §5.14
  public static final int NAS_IPV6_ADDRESS = 95; // RFC 3162 §2.1
  public static final int ERROR_CAUSE = 101; // RFC 5176 §3.5
}
