package net.tinyisp.nat64.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import net.tinyisp.common.net.IpPrefix;

/**
 * A port forward: {@code tcp 2001:db8::10#80 203.0.113.5#8080} lets unsolicited IPv4 traffic to 203.0.113.5:8080
 * reach [2001:db8::10]:80 (RFC 6146 §3.5.2.2 and §3.5.1: a BIB entry created by manual configuration). For ICMP
 * the "port" is the echo identifier.
 */
public record StaticBibEntry(
    @JsonProperty("protocol") Protocol protocol,
    @JsonProperty("ipv6") String ipv6,
    @JsonProperty("ipv4") String ipv4) {

  public enum Protocol {
    TCP, UDP, ICMP
  }

  public StaticBibEntry {
    if (protocol == null || ipv6 == null || ipv4 == null) {
      throw new IllegalArgumentException("a static BIB entry needs protocol, ipv6 (ADDR#PORT) and ipv4 (ADDR#PORT)");
    }
    v6Of(ipv6);
    v4Of(ipv4);
    port(ipv6);
    port(ipv4);
  }

  /** Parses the one-line form {@code tcp 2001:db8::10#80 203.0.113.5#8080}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static StaticBibEntry parse(String line) {
    String[] w = line.strip().split("\\s+");
    if (w.length != 3) {
      throw new IllegalArgumentException("'" + line + "': expected PROTOCOL V6ADDR#PORT V4ADDR#PORT");
    }
    Protocol p;
    try {
      p = Protocol.valueOf(w[0].toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + w[0] + "' is not tcp, udp or icmp");
    }
    return new StaticBibEntry(p, w[1], w[2]);
  }

  public byte[] v6Address() {
    return v6Of(ipv6);
  }

  public byte[] v4Address() {
    return v4Of(ipv4);
  }

  private static byte[] v6Of(String ipv6) {
    IpPrefix p = IpPrefix.parse(host(ipv6));
    if (p.isIpv4() || p.length() != 128) {
      throw new IllegalArgumentException("'" + ipv6 + "' must be IPV6ADDR#PORT");
    }
    return p.network();
  }

  private static byte[] v4Of(String ipv4) {
    IpPrefix p = IpPrefix.parse(host(ipv4));
    if (!p.isIpv4() || p.length() != 32) {
      throw new IllegalArgumentException("'" + ipv4 + "' must be IPV4ADDR#PORT");
    }
    return p.network();
  }

  public int v6Port() {
    return port(ipv6);
  }

  public int v4Port() {
    return port(ipv4);
  }

  private static String host(String s) {
    int h = s.lastIndexOf('#');
    if (h < 0) {
      throw new IllegalArgumentException("'" + s + "' must be ADDR#PORT");
    }
    return s.substring(0, h);
  }

  private static int port(String s) {
    int h = s.lastIndexOf('#');
    try {
      int p = Integer.parseInt(s.substring(h + 1));
      if (p < 0 || p > 65535) throw new NumberFormatException();
      return p;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + s + "': the port after '#' must be 0..65535");
    }
  }

  @Override
  public String toString() {
    return protocol.name().toLowerCase(java.util.Locale.ROOT) + " " + ipv6 + " " + ipv4;
  }
}
