package net.tinyisp.nat64.steps;

/**
 * Every reason the gateway discards a packet, each with its Prometheus counter name and description. "Silently
 * discard" in an RFC means no reply, not no count.
 */
public enum DropReason {
  TRUNCATED("truncated", "shorter than its IP/transport headers or its length fields claim"),
  BAD_VERSION("bad_version", "IP version nibble is neither 4 nor 6"),
  BAD_IPV4_HEADER("bad_ipv4_header", "IPv4 header length below 20 bytes or header checksum wrong"),
  NOT_POOL6("not_pool6", "IPv6 destination outside pool6 (RFC 6146 §3.4)"),
  NOT_POOL4("not_pool4", "IPv4 destination is not a pool4 address (RFC 6146 §3.4)"),
  SOURCE_IN_POOL("source_in_pool", "source inside pool6 or pool4: a loop or a spoofed packet"),
  UNKNOWN_PROTOCOL("unknown_protocol", "transport is not TCP, UDP or ICMP (RFC 6146 §3.4)"),
  ICMP_UNTRANSLATABLE("icmp_untranslatable", "ICMP type or code with no counterpart (RFC 7915 §4.2, §5.2)"),
  ICMP_ERROR_INVALID("icmp_error_invalid", "ICMP error whose inner packet is missing, nested or not ours"),
  ROUTING_HEADER("routing_header", "IPv6 routing header with segments left (RFC 7915 §5.1)"),
  HOP_LIMIT_EXCEEDED("hop_limit_exceeded", "hop limit or TTL would reach zero; answered with time exceeded"),
  WKP_NON_GLOBAL("wkp_non_global", "64:ff9b::/96 destination embeds a non-global IPv4 address (RFC 6052 §3.1)"),
  POOL4_EXHAUSTED("pool4_exhausted", "no free pool4 port; answered with ICMPv6 administratively prohibited"),
  SOURCE_LIMIT("source_limit", "IPv6 source reached its session limit; answered with administratively prohibited"),
  NO_BIB("no_bib", "unsolicited IPv4 packet without a BIB entry (RFC 6146 §3.5)"),
  FILTERED("filtered", "address-dependent filtering: no session with this IPv4 remote (RFC 6146 §3.5.1)"),
  TCP_NO_SESSION("tcp_no_session", "TCP segment other than SYN without a session (RFC 6146 §3.5.2.2)"),
  NO_SESSION("no_session", "ICMP error or inbound packet without a matching session"),
  FRAGMENT_INVALID("fragment_invalid", "fragment overlaps, exceeds 65535 bytes or has a bad length (RFC 5722)"),
  FRAGMENT_TIMEOUT("fragment_timeout", "fragments whose siblings did not arrive in time (RFC 6146 §3.4)"),
  FRAGMENT_TABLE_FULL("fragment_table_full", "too many packets waiting for reassembly"),
  TOO_BIG("too_big", "translated packet would exceed 65535 bytes"),
  TUN_QUEUE_FULL("tun_queue_full", "the TUN device did not accept the packet in time (kernel queue full)"),
  TUN_WRITE_FAILED("tun_write_failed", "the kernel refused the packet written to the TUN device");

  private final String suffix;
  private final String description;

  DropReason(String suffix, String description) {
    this.suffix = suffix;
    this.description = description;
  }

  /** The counter name: {@code tinyisp_nat64_dropped_<reason>} (Prometheus adds {@code _total}). */
  public String metricName() {
    return "tinyisp_nat64_dropped_" + suffix;
  }

  public String label() {
    return suffix;
  }

  public String description() {
    return description;
  }
}
