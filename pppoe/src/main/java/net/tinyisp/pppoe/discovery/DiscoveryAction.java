package net.tinyisp.pppoe.discovery;

import net.tinyisp.pppoe.DropReason;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.PppoeFrame;

/** What discovery asks the I/O layer and the session layer to do. */
public sealed interface DiscoveryAction {
  record Send(PppoeFrame frame) implements DiscoveryAction {}

  /** A PADS went out: the session exists from now on; PPP (LCP) starts on it. */
  record SessionOpened(MacAddress client, int sessionId, String serviceName) implements DiscoveryAction {}

  /** The client sent PADT: end the session (accounting Stop with User-Request). */
  record SessionClosedByPeer(MacAddress client, int sessionId) implements DiscoveryAction {}

  record Drop(DropReason reason) implements DiscoveryAction {}
}
