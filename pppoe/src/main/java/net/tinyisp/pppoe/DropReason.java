package net.tinyisp.pppoe;

/** Every frame the access concentrator does not use, by name; each constant is a counter. */
public enum DropReason {
  MALFORMED_SHORT("tinyisp_pppoe_drop_malformed_short", "frame shorter than the Ethernet and PPPoE headers"),
  MALFORMED_ETHERTYPE("tinyisp_pppoe_drop_ethertype", "ethertype is neither 0x8863 nor 0x8864"),
  MALFORMED_VERSION("tinyisp_pppoe_drop_version", "PPPoE VER/TYPE is not 1/1 (RFC 2516 §4)"),
  MALFORMED_LENGTH("tinyisp_pppoe_drop_length", "PPPoE LENGTH beyond the frame"),
  MALFORMED_TAG("tinyisp_pppoe_drop_tag", "a discovery tag runs past the payload"),
  PADI_NOT_BROADCAST("tinyisp_pppoe_drop_padi_unicast", "PADI not sent to the broadcast address (§5.1)"),
  BAD_SESSION_ID("tinyisp_pppoe_drop_discovery_session_id", "PADI/PADR with a non-zero SESSION_ID (§5.1, §5.3)"),
  SERVICE_NAME_MISSING("tinyisp_pppoe_drop_no_service_name", "PADI/PADR without exactly one Service-Name tag"),
  SERVICE_NOT_OFFERED("tinyisp_pppoe_drop_service_not_offered", "PADI asks for a service this AC does not offer"),
  PADI_RATE_MAC("tinyisp_pppoe_drop_padi_rate_mac", "PADI over the per-MAC rate limit"),
  PADI_RATE_GLOBAL("tinyisp_pppoe_drop_padi_rate_global", "PADI over the global rate limit"),
  BAD_COOKIE("tinyisp_pppoe_drop_bad_cookie", "PADR without a valid AC-Cookie for its source MAC"),
  NOT_FOR_US("tinyisp_pppoe_drop_not_for_us", "unicast discovery frame for another MAC"),
  UNEXPECTED_CODE("tinyisp_pppoe_drop_unexpected_code", "discovery code an AC does not receive (PADO, PADS) or unknown"),
  PADT_UNKNOWN_SESSION("tinyisp_pppoe_drop_padt_unknown", "PADT for a session this MAC does not have"),
  MULTICAST_SOURCE("tinyisp_pppoe_drop_multicast_source", "source MAC is multicast or broadcast"),
  UNKNOWN_SESSION("tinyisp_pppoe_drop_unknown_session", "session frame for a SESSION_ID/MAC pair we do not have"),
  PPP_PROTOCOL("tinyisp_pppoe_drop_ppp", "PPP packet the link could not use now (wrong phase, stale answer, protocol before LCP is Opened)"),
  PPP_MALFORMED("tinyisp_pppoe_drop_ppp_malformed", "PPP packet that does not parse (no protocol field, control packet header or options cut short)"),
  SPOOFED_SOURCE("tinyisp_pppoe_drop_spoofed_source", "IPv6 from a subscriber with a source outside its prefixes (BCP 38)"),
  CORE_WRITE("tinyisp_pppoe_drop_core_write", "the TUN device toward the core refused a packet"),
  SUBSCRIBER_WRITE("tinyisp_pppoe_drop_subscriber_write", "the packet socket refused a frame toward a subscriber"),
  RING_FULL("tinyisp_pppoe_drop_ring_full", "the kernel dropped frames because the receive ring was full (PACKET_STATISTICS)"),
  NO_ROUTE("tinyisp_pppoe_drop_no_route", "packet from the core for an address no session owns"),
  TOO_BIG("tinyisp_pppoe_drop_too_big", "packet from the core larger than the PPPoE MTU of 1492"),
  POLICED_UPLOAD("tinyisp_pppoe_drop_policed_upload", "upload above the subscriber's rate (RADIUS speed limit)"),
  SHAPED_DOWNLOAD("tinyisp_pppoe_drop_shaped_download", "download queue of the subscriber's shaper full");

  private final String metric;
  private final String description;

  DropReason(String metric, String description) {
    this.metric = metric;
    this.description = description;
  }

  public String metric() {
    return metric;
  }

  public String description() {
    return description;
  }
}
