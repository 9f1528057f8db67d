package net.tinyisp.dns.tls;

/**
 * Every reason the encrypted front ends (DoT, DoH, JSON) refuse, close or drop, each a counter
 * {@code tinyisp_dns_encrypted_drops_total{reason="..."}}.
 */
public enum EncryptedDnsDrop {
  CONNECTION_LIMIT("connection_limit", "connection closed at accept: max-connections reached"),
  TLS_HANDSHAKE("tls_handshake", "TLS handshake failed (no common version/cipher, not TLS, aborted)"),
  IDLE_TIMEOUT("idle_timeout", "connection closed after idle-timeout-seconds without a query (RFC 7858 §3.4)"),
  DOT_MALFORMED("dot_malformed", "DoT message shorter than a DNS header (RFC 7858 §3.3 framing)"),
  HANDLER_DROPPED("handler_dropped", "the query handler chose not to answer (garbage without an ID)"),
  HTTP_BAD_REQUEST("http_400", "DoH request with bad base64url, a missing dns parameter or a malformed message"),
  HTTP_UNSUPPORTED_TYPE("http_415", "DoH POST whose Content-Type is not application/dns-message (RFC 8484 §4.1)"),
  HTTP_TOO_LARGE("http_413", "DoH body or dns parameter larger than a DNS message (65535 bytes)"),
  HTTP_METHOD("http_405", "DoH request with a method other than GET and POST"),
  HTTP_NOT_FOUND("http_404", "HTTP request for a path other than /dns-query and /resolve"),
  HTTP_MALFORMED("http_malformed", "HTTP framing the codec could not decode (connection closed)"),
  PROXY_HEADER("proxy_header", "PROXY protocol v2 header from a trusted proxy that did not parse (connection closed)");

  private final String label;
  private final String description;

  EncryptedDnsDrop(String label, String description) {
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
