package net.tinyisp.pppoe.client;

import java.nio.ByteBuffer;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.pppoe.ipv6.Dhcpv6Message;
import net.tinyisp.pppoe.ipv6.PrefixDelegation;

/**
 * The subscriber side of DHCPv6 prefix delegation on a load-client session (RFC 8415): one Solicit with Rapid
 * Commit (§18.2.1, §21.14) asking for an IA_PD, and the delegated prefix read from the Reply's IA Prefix option
 * (§21.21, §21.22). Pure and bounded: a malformed or unrelated packet yields null.
 */
final class DelegatedPrefix {
  static final int CLIENT_PORT = 546;
  static final int SERVER_PORT = 547;
  private static final int UDP = 17;
  private static final int IAID = 1;

  private DelegatedPrefix() {}

  /** Solicit from {@code fe80::iid}:546 to All_DHCP_Relay_Agents_and_Servers ff02::1:2:547 (§7.1). */
  static byte[] solicit(long interfaceId, byte[] mac, int transactionId) {
    Dhcpv6Message m = new Dhcpv6Message(Dhcpv6Message.SOLICIT, transactionId & 0xffffff, List.of(
        new Dhcpv6Message.Option(Dhcpv6Message.OPT_CLIENTID, PrefixDelegation.duidLl(mac)),
        new Dhcpv6Message.Option(Dhcpv6Message.OPT_ELAPSED_TIME, new byte[2]),
        new Dhcpv6Message.Option(Dhcpv6Message.OPT_RAPID_COMMIT, new byte[0]),
        // IAID, T1, T2 = 0: the server chooses (§21.21)
        new Dhcpv6Message.Option(Dhcpv6Message.OPT_IA_PD, ByteBuffer.allocate(12).putInt(IAID).array())));
    byte[] payload = m.toBytes();
    byte[] p = new byte[48 + payload.length];
    int udpLength = 8 + payload.length;
    p[0] = 0x60;
    p[4] = (byte) (udpLength >> 8);
    p[5] = (byte) udpLength;
    p[6] = UDP;
    p[7] = 1; // §14: hop limit 1 toward the multicast group is enough on a link; the AC answers it itself
    p[8] = (byte) 0xfe;
    p[9] = (byte) 0x80;
    for (int i = 0; i < 8; i++) p[16 + i] = (byte) (interfaceId >>> (56 - 8 * i));
    p[24] = (byte) 0xff;
    p[25] = 0x02;
    p[37] = 0x01;
    p[39] = 0x02;
    p[40] = (byte) (CLIENT_PORT >> 8);
    p[41] = (byte) CLIENT_PORT;
    p[42] = (byte) (SERVER_PORT >> 8);
    p[43] = (byte) SERVER_PORT;
    p[44] = (byte) (udpLength >> 8);
    p[45] = (byte) udpLength;
    System.arraycopy(payload, 0, p, 48, payload.length);
    // RFC 8200 §8.1 UDP checksum over the pseudo-header
    long sum = 0;
    for (int i = 8; i < 40; i += 2) sum += (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
    sum += udpLength + UDP;
    for (int i = 40; i < p.length; i += 2) sum += (p[i] & 0xff) << 8 | (i + 1 < p.length ? p[i + 1] & 0xff : 0);
    while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
    int c = (int) (~sum & 0xffff);
    if (c == 0) c = 0xffff;
    p[46] = (byte) (c >> 8);
    p[47] = (byte) c;
    return p;
  }

  /** Whether the IPv6 packet (no extension headers) is UDP to the DHCPv6 client port. */
  static boolean isForClient(byte[] p, int length) {
    return length >= 52 && (p[0] & 0xf0) == 0x60 && (p[6] & 0xff) == UDP
        && ((p[42] & 0xff) << 8 | p[43] & 0xff) == CLIENT_PORT;
  }

  /** The prefix of the first IA Prefix in the first IA_PD of a Reply, or null. */
  static IpPrefix fromReply(byte[] p, int length) {
    if (!isForClient(p, length)) return null;
    int udpLength = (p[44] & 0xff) << 8 | p[45] & 0xff;
    if (udpLength < 12 || 40 + udpLength > length) return null;
    Dhcpv6Message m;
    try {
      m = Dhcpv6Message.parse(java.util.Arrays.copyOfRange(p, 48, 40 + udpLength));
    } catch (IllegalArgumentException malformed) {
      return null;
    }
    if (m.type() != Dhcpv6Message.REPLY) return null;
    Dhcpv6Message.Option ia = m.option(Dhcpv6Message.OPT_IA_PD);
    if (ia == null) return null;
    byte[] d = ia.data();
    // IA_PD: IAID(4) T1(4) T2(4) then options; IA Prefix: preferred(4) valid(4) length(1) prefix(16)
    for (int off = 12; off + 4 <= d.length; ) {
      int code = (d[off] & 0xff) << 8 | d[off + 1] & 0xff;
      int len = (d[off + 2] & 0xff) << 8 | d[off + 3] & 0xff;
      if (off + 4 + len > d.length) return null;
      if (code == Dhcpv6Message.OPT_IAPREFIX && len >= 25) {
        int prefixLength = d[off + 12] & 0xff;
        if (prefixLength > 128) return null;
        byte[] network = java.util.Arrays.copyOfRange(d, off + 13, off + 29);
        try {
          return IpPrefix.parse(java.net.InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength);
        } catch (java.net.UnknownHostException | IllegalArgumentException e) {
          return null;
        }
      }
      off += 4 + len;
    }
    return null;
  }
}
