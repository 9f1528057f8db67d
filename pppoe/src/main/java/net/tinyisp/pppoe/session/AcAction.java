package net.tinyisp.pppoe.session;

import net.tinyisp.ppp.link.LinkEvent;
import net.tinyisp.ppp.link.TerminateCause;
import net.tinyisp.pppoe.DropReason;
import net.tinyisp.pppoe.wire.MacAddress;

/** What the access concentrator asks its edges to do: the wire, RADIUS, the data plane and accounting. */
public sealed interface AcAction {
  /** An Ethernet frame to send on the subscriber-facing interface. */
  record SendFrame(byte[] frame) implements AcAction {}

  /** Ask RADIUS; answer with {@link AccessConcentrator#authenticated}. */
  record Authenticate(int sessionId, MacAddress client, LinkEvent.Credentials credentials) implements AcAction {}

  /** IPv6CP is up: install the subscriber's routes, start RAs/DHCPv6, accounting Start. */
  record SessionUp(int sessionId, MacAddress client, String username, long peerInterfaceId) implements AcAction {}

  /** The session is gone: remove routes, accounting Stop with the cause. */
  record SessionDown(int sessionId, MacAddress client, String username, TerminateCause cause) implements AcAction {}

  /** An IPv6 packet the subscriber sent, for the core-facing side. */
  record Ipv6FromSubscriber(int sessionId, byte[] packet) implements AcAction {}

  /** Dual-stack: IPCP is up with this subscriber address; route it toward the session. */
  record Ipv4Up(int sessionId, java.net.Inet4Address address) implements AcAction {}

  /** Dual-stack: an IPv4 packet the subscriber sent (protocol 0x0021), for the core-facing side. */
  record Ipv4FromSubscriber(int sessionId, byte[] packet) implements AcAction {}

  record Drop(DropReason reason, String detail) implements AcAction {}
}
