package net.tinyisp.radius.wire;

/** RADIUS packet codes (RFC 2865 §3, RFC 2866 §4, RFC 5997 §2, RFC 5176 §2.3). */
public enum Code {
  ACCESS_REQUEST(1, "Access-Request"),
  ACCESS_ACCEPT(2, "Access-Accept"),
  ACCESS_REJECT(3, "Access-Reject"),
  ACCOUNTING_REQUEST(4, "Accounting-Request"),
  ACCOUNTING_RESPONSE(5, "Accounting-Response"),
  ACCESS_CHALLENGE(11, "Access-Challenge"),
  STATUS_SERVER(12, "Status-Server"),
  STATUS_CLIENT(13, "Status-Client"),
  DISCONNECT_REQUEST(40, "Disconnect-Request"),
  DISCONNECT_ACK(41, "Disconnect-ACK"),
  DISCONNECT_NAK(42, "Disconnect-NAK"),
  COA_REQUEST(43, "CoA-Request"),
  COA_ACK(44, "CoA-ACK"),
  COA_NAK(45, "CoA-NAK");

  private static final Code[] BY_VALUE = new Code[256];

  static {
    for (Code c : values()) BY_VALUE[c.value] = c;
  }

  private final int value;
  private final String text;

  Code(int value, String text) {
    this.value = value;
    this.text = text;
  }

  public int value() {
    return value;
  }

  /** The name RFCs and FreeRADIUS use, e.g. {@code Access-Request}. */
  public String text() {
    return text;
  }

  /** null for a code this implementation does not know. */
  public static Code of(int value) {
    return value >= 0 && value < 256 ? BY_VALUE[value] : null;
  }

  /**
   * Requests whose Request Authenticator is an MD5 over the packet and the secret (RFC 2866 §3, RFC 5176 §2.3)
   * rather than a random nonce (RFC 2865 §3: Access-Request, RFC 5997: Status-Server).
   */
  public boolean hasComputedRequestAuthenticator() {
    return this == ACCOUNTING_REQUEST || this == DISCONNECT_REQUEST || this == COA_REQUEST;
  }
}
