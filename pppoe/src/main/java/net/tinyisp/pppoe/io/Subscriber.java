package net.tinyisp.pppoe.io;

import java.util.concurrent.atomic.AtomicLong;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.pppoe.aaa.Aaa;
import net.tinyisp.pppoe.aaa.Authorization;
import net.tinyisp.pppoe.ipv6.PrefixDelegation;
import net.tinyisp.pppoe.wire.MacAddress;

/**
 * One subscriber session as the I/O layer sees it: who, which prefixes, what RADIUS allowed, and the traffic
 * counters (written by the packet threads, read by accounting). Mutable fields are touched only on the control loop.
 */
final class Subscriber {
  final int sessionId;
  final MacAddress mac;
  final long createdNanos;
  final AtomicLong inOctets = new AtomicLong();
  final AtomicLong outOctets = new AtomicLong();
  final AtomicLong inPackets = new AtomicLong();
  final AtomicLong outPackets = new AtomicLong();
  volatile long lastTrafficNanos;

  String username;
  Authorization authorization;
  IpPrefix link;
  IpPrefix delegated;
  boolean linkFromPool;
  boolean delegatedFromPool;
  PrefixDelegation dhcpv6;
  long localInterfaceId;
  long peerInterfaceId;
  long upNanos = -1;
  long upEpochSeconds;
  String acctSessionId;
  long nextInterimNanos = -1;
  long nextRaNanos = -1;
  // shaping: the download shaper belongs to the core thread, the upload policer to the control thread. The control
  // thread publishes the wanted download limit (null = none); the core thread applies it (DownstreamShaping.adopt)
  volatile DownRate wantedDown;
  DownRate appliedDown;
  net.tinyisp.shaping.TokenBucketShaper downShaper; // per-session mode
  int downClass = -1;                               // hierarchy mode: the session's class
  int backlogIndex = -1;                            // per-session mode: index among backlogged sessions
  boolean downRetired;                              // the session ended: never give it a shaper again
  net.tinyisp.shaping.Policer upPolicer;
  volatile Long downKbps;
  volatile Long upKbps;
  // accounting periods (counters reset without dropping the session): usage at the start of the current period
  String multiSessionId;
  int period;
  Aaa.Usage periodBase = Aaa.Usage.ZERO;
  long periodStartNanos;

  Subscriber(int sessionId, MacAddress mac, long now) {
    this.sessionId = sessionId;
    this.mac = mac;
    this.createdNanos = now;
    this.lastTrafficNanos = now;
  }

  Aaa.Caller caller() {
    return new Aaa.Caller(sessionId, mac.toString().replace(':', '-').toUpperCase());
  }

  Aaa.Usage usage() {
    return new Aaa.Usage(inOctets.get(), outOctets.get(), inPackets.get(), outPackets.get());
  }

  /** What this accounting period counted: the session's counters minus where the period began. */
  Aaa.Usage periodUsage(Aaa.Usage now) {
    return new Aaa.Usage(now.inputOctets() - periodBase.inputOctets(), now.outputOctets() - periodBase.outputOctets(),
        now.inputPackets() - periodBase.inputPackets(), now.outputPackets() - periodBase.outputPackets());
  }
}
