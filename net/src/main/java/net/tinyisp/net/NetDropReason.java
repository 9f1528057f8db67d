package net.tinyisp.net;

/**
 * Why the packet layer gave up on a packet. Each constant carries its Prometheus counter name and what it means;
 * {@link NetDropCounters} registers them, the caller counts (the packet layer never drops silently, it returns the
 * reason).
 */
public enum NetDropReason {
  GSO_MALFORMED("tinyisp_net_drop_gso_malformed_total",
      "super-packet whose IP/TCP/UDP headers do not parse or disagree with the virtio-net header"),
  GSO_UNSUPPORTED_TYPE("tinyisp_net_drop_gso_unsupported_total",
      "super-packet with a GSO type this code does not segment (UFO/GSO_UDP, unknown types)"),
  GSO_OUTPUT_TOO_SMALL("tinyisp_net_drop_gso_output_too_small_total",
      "segment larger than the output buffer handed to the segmenter"),
  CSUM_RANGE_INVALID("tinyisp_net_drop_csum_range_invalid_total",
      "virtio-net header asks for a checksum outside the packet (csum_start/csum_offset out of range)"),
  TUN_TRUNCATED("tinyisp_net_drop_tun_truncated_total",
      "packet filled the whole read buffer and may have been cut by the kernel"),
  RING_KERNEL_DROP("tinyisp_net_drop_ring_kernel_total",
      "frames the kernel dropped because the AF_PACKET ring was full (PACKET_STATISTICS tp_drops)");

  private final String metricName;
  private final String description;

  NetDropReason(String metricName, String description) {
    this.metricName = metricName;
    this.description = description;
  }

  public String metricName() {
    return metricName;
  }

  public String description() {
    return description;
  }
}
