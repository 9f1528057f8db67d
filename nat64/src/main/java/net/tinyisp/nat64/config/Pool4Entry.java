package net.tinyisp.nat64.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import net.tinyisp.common.net.IpPrefix;

/**
 * One public IPv4 address of pool4 with its own range per protocol, as Jool's {@code pool4 add -t/-u/-i}. A missing
 * range defaults to 61000-65535, Jool's default, so that ports below stay free for the host itself.
 */
public record Pool4Entry(
    @JsonProperty("address") String address,
    @JsonProperty("tcp") PortRange tcp,
    @JsonProperty("udp") PortRange udp,
    @JsonProperty("icmp") PortRange icmp) {

  public static final PortRange DEFAULT_RANGE = new PortRange(61000, 65535);

  public Pool4Entry {
    if (address == null) {
      throw new IllegalArgumentException("pool4 entry needs an address");
    }
    IpPrefix p = IpPrefix.parse(address);
    if (!p.isIpv4() || p.length() != 32) {
      throw new IllegalArgumentException("pool4 address '" + address + "' must be one IPv4 address");
    }
    tcp = tcp == null ? DEFAULT_RANGE : tcp;
    udp = udp == null ? DEFAULT_RANGE : udp;
    icmp = icmp == null ? DEFAULT_RANGE : icmp;
  }

  /** The address as a big-endian int. */
  public int addressBits() {
    byte[] b = IpPrefix.parse(address).network();
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
  }
}
