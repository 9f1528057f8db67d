package net.tinyisp.ppp.ipcp;

import java.net.Inet4Address;

/**
 * What dual-stack IPCP hands one subscriber (RFC 1332 §3.3, RFC 1877): our address on the link, the subscriber's
 * (from the pool or RADIUS Framed-IP-Address), and up to two resolvers (null = the option is rejected).
 */
public record Ipv4Assignment(Inet4Address local, Inet4Address peer, Inet4Address dns1, Inet4Address dns2) {
  public Ipv4Assignment {
    if (local == null || peer == null) throw new IllegalArgumentException("IPCP needs our address and the peer's");
  }
}
