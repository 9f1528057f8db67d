package net.tinyisp.pppoe.client;

import net.tinyisp.net.tun.TunDevice;
import net.tinyisp.net.tun.TunQueue;
import net.tinyisp.ppp.Protocols;
import net.tinyisp.pppoe.wire.MacAddress;

/**
 * One load-client session's TUN device and its counters. Each counter has one writer: the receive thread counts
 * what came from the access concentrator ("down"), the TUN thread what went to it ("up"). Both count IPv6 packet
 * bytes (the PPP payload of protocol 0x0057, without the PPP, PPPoE and Ethernet headers): the same unit the access
 * concentrator puts in Acct-Input-Octets / Acct-Output-Octets.
 */
final class SessionTunnel {
  final int index;
  final String user;
  final int sessionId;
  final long subscriberMac;
  final byte[] macBytes;
  final long localInterfaceId;
  final String device;
  final int table;
  final TunDevice tun;
  final TunQueue queue;
  /** RFC 2516 §4 session frame header toward the AC, with the PPP protocol field (IPv6): 22 bytes. */
  final byte[] header = new byte[22];

  volatile long downPackets;
  volatile long downBytes;
  volatile long upPackets;
  volatile long upBytes;
  volatile long tunWriteErrors;
  volatile long sendFailures;
  volatile String address;
  volatile String ended;
  volatile boolean configured;
  volatile boolean raQueued;
  volatile String delegated;
  volatile boolean pdQueued;
  long pdDueNanos = -1;
  int pdSent;
  long rsDueNanos;
  int rsSent;

  SessionTunnel(int index, String user, MacAddress mac, MacAddress ac, int sessionId, long localInterfaceId,
      String device, int table, TunDevice tun) {
    this.index = index;
    this.user = user;
    this.sessionId = sessionId;
    this.localInterfaceId = localInterfaceId;
    this.device = device;
    this.table = table;
    this.tun = tun;
    this.queue = tun.queue(0);
    byte[] m = mac.bytes();
    this.macBytes = m;
    long v = 0;
    for (byte b : m) v = v << 8 | (b & 0xff);
    this.subscriberMac = v;
    ac.write(header, 0);
    mac.write(header, 6);
    header[12] = (byte) 0x88;
    header[13] = 0x64;
    header[14] = 0x11; // version 1, type 1 (RFC 2516 §4)
    header[15] = 0; // code 0: session data
    header[16] = (byte) (sessionId >> 8);
    header[17] = (byte) sessionId;
    header[20] = (byte) (Protocols.IPV6 >> 8);
    header[21] = (byte) Protocols.IPV6;
  }

  String counters() {
    return String.format("up_packets=%d up_bytes=%d down_packets=%d down_bytes=%d tun_write_errors=%d send_failures=%d",
        upPackets, upBytes, downPackets, downBytes, tunWriteErrors, sendFailures);
  }
}
