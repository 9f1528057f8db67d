package net.tinyisp.radius.server;

/**
 * Why the server discarded a datagram without answering. RFC 2865 says "silently discard": no reply, but every
 * discard is counted in {@code tinyisp_radius_drops_total{reason=...}}.
 */
public enum DropReason {
  MALFORMED("malformed", "not a RADIUS packet by RFC 2865 §3/§5 (length, attribute framing)"),
  UNKNOWN_CLIENT("unknown_client", "source address matches no configured client (RFC 2865 §3)"),
  UNEXPECTED_CODE("unexpected_code", "a packet code this port does not serve"),
  MISSING_MESSAGE_AUTHENTICATOR("missing_message_authenticator",
      "Access-Request or Status-Server without Message-Authenticator while the client requires it (BlastRADIUS)"),
  BAD_MESSAGE_AUTHENTICATOR("bad_message_authenticator", "Message-Authenticator did not verify (RFC 2869 §5.14)"),
  BAD_REQUEST_AUTHENTICATOR("bad_request_authenticator",
      "Accounting-Request authenticator did not verify: wrong secret or altered (RFC 2866 §3)"),
  MISSING_STATUS_TYPE("missing_status_type", "Accounting-Request without a valid Acct-Status-Type (RFC 2866 §5.1)"),
  DUPLICATE_IN_PROGRESS("duplicate_in_progress", "a retransmission arrived while the original is still processed"),
  OVERLOADED("overloaded", "too many requests in flight; the NAS retransmits"),
  BACKEND_FAILED("backend_failed", "the user lookup failed; no answer so that the NAS retries or fails over"),
  SINK_FAILED("sink_failed", "the accounting record could not be committed; no answer so that the NAS retries");

  private final String label;
  private final String description;

  DropReason(String label, String description) {
    this.label = label;
    this.description = description;
  }

  /** The value of the {@code reason} label. */
  public String label() {
    return label;
  }

  public String description() {
    return description;
  }
}
