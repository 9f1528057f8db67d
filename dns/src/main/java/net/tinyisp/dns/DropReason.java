package net.tinyisp.dns;

/**
 * Every query or upstream answer the dns module does not use, with its metrics label
 * ({@code tinyisp_dns_drops_total{reason="..."}}) and what it means. Answered errors (FORMERR, REFUSED) are counted
 * here too, because the query itself was not served.
 */
public enum DropReason {
  QUERY_TOO_SHORT("query_too_short", "fewer than 12 bytes: no header to answer to; dropped silently"),
  QUERY_IS_RESPONSE("query_is_response", "QR=1 on a query port: dropped so we never answer answers (reflection)"),
  QUERY_MALFORMED("query_malformed", "malformed question or EDNS: answered FORMERR (RFC 1035 §4.1.1, RFC 6891 §7)"),
  QUERY_OPCODE("query_opcode", "opcode other than QUERY: answered NOTIMP"),
  QUERY_BADVERS("query_badvers", "EDNS version other than 0: answered BADVERS (RFC 6891 §6.1.3)"),
  CLIENT_REFUSED("client_refused", "client not in allow-query: answered REFUSED"),
  UPSTREAM_WRONG_ID("upstream_wrong_id", "upstream answer with an ID we did not send: ignored"),
  UPSTREAM_WRONG_QUESTION("upstream_wrong_question", "upstream answer for another question: ignored"),
  UPSTREAM_WRONG_SOURCE("upstream_wrong_source", "UDP answer from an address we did not ask: ignored"),
  UPSTREAM_OVERSIZED("upstream_oversized", "UDP answer larger than our EDNS size: ignored"),
  UPSTREAM_MALFORMED("upstream_malformed", "upstream answer that does not parse: ignored"),
  UDP_SEND_FAILED("udp_send_failed", "the kernel refused a UDP answer (sendmmsg/sendto error such as ENOBUFS, or"
      + " EPERM from a firewall): not sent"),
  XDP_MALFORMED("xdp_malformed", "a frame the XDP program passed to tinyisp whose Ethernet, IP or UDP header does not"
      + " add up (lengths, IPv4 header checksum): dropped"),
  XDP_TX_FULL("xdp_tx_full", "every AF_XDP send frame was in flight: the answer was not sent (the client retries)"),
  TCP_TOO_MANY_PIPELINED("tcp_pipeline_full", "a TCP client exceeded the in-flight limit; reading paused");

  private final String label;
  private final String description;

  DropReason(String label, String description) {
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
