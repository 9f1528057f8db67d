package net.tinyisp.radius.server;

/** Why an Access-Request got Access-Reject; counted in {@code tinyisp_radius_rejects_total{reason=...}}. */
public enum RejectReason {
  NO_USER_NAME("no_user_name", "no User-Name in the request"),
  UNKNOWN_USER("unknown_user", "the backend does not know the user"),
  DISABLED("disabled", "the account is disabled"),
  BAD_PASSWORD("bad_password", "PAP password or CHAP response did not match"),
  CHAP_NEEDS_CLEARTEXT("chap_needs_cleartext", "CHAP asked but only a password hash is stored (RFC 1994 §4.1)"),
  NO_CREDENTIALS("no_credentials", "neither User-Password nor CHAP-Password present"),
  UNSUPPORTED_METHOD("unsupported_method", "EAP or another method this server does not implement"),
  INVALID_REPLY_ITEM("invalid_reply_item", "a configured reply item is not in the dictionary or has a bad value");

  private final String label;
  private final String description;

  RejectReason(String label, String description) {
    this.label = label;
    this.description = description;
  }

  public String label() {
    return label;
  }

  public String description() {
    return description;
  }
}
