package net.tinyisp.pppoe.ipv6;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.pppoe.ipv6.Dhcpv6Message.Option;

/**
 * The DHCPv6 server of one PPP session (RFC 8415): it delegates the session's prefix (from RADIUS
 * Delegated-IPv6-Prefix or the pool) through IA_PD and hands out the resolvers. One binding, so no lease database:
 * the prefix lives exactly as long as the session. Pure: a client message in, the answer (or nothing) out.
 */
public final class PrefixDelegation {
  private final IpPrefix delegated;
  private final List<InetAddress> dns;
  private final byte[] serverDuid;
  private final int preferred;
  private final int valid;
  private boolean released;

  /**
   * @param serverDuid our DUID (RFC 8415 §11), e.g. DUID-LL of the AC's MAC; stable across restarts
   * @param preferred preferred lifetime of the prefix in seconds (T1 = 0.5, T2 = 0.8 of it, §21.21)
   */
  public PrefixDelegation(IpPrefix delegated, List<InetAddress> dns, byte[] serverDuid, int preferred, int valid) {
    if (delegated.isIpv4() || delegated.length() > 64) throw new IllegalArgumentException("a delegated prefix is IPv6, /64 or shorter");
    this.delegated = delegated;
    this.dns = List.copyOf(dns);
    this.serverDuid = serverDuid.clone();
    this.preferred = preferred;
    this.valid = valid;
  }

  /** DUID-LL (type 3, hardware type 1 = Ethernet) from a MAC address. */
  public static byte[] duidLl(byte[] mac) {
    return ByteBuffer.allocate(4 + mac.length).putShort((short) 3).putShort((short) 1).put(mac).array();
  }

  public boolean released() {
    return released;
  }

  public IpPrefix prefix() {
    return delegated;
  }

  /** The answer to a client message (UDP payload from port 546), or null when RFC 8415 says to stay silent. */
  public byte[] answer(byte[] udpPayload) {
    Dhcpv6Message m;
    try {
      m = Dhcpv6Message.parse(udpPayload);
    } catch (IllegalArgumentException malformed) {
      return null; // §16: discard
    }
    Option client = m.option(Dhcpv6Message.OPT_CLIENTID);
    Option server = m.option(Dhcpv6Message.OPT_SERVERID);
    switch (m.type()) {
      case Dhcpv6Message.SOLICIT -> {
        if (client == null || server != null) return null; // §16.2
        boolean rapid = m.option(Dhcpv6Message.OPT_RAPID_COMMIT) != null;
        int type = rapid ? Dhcpv6Message.REPLY : Dhcpv6Message.ADVERTISE;
        if (rapid) bind(client);
        return reply(type, m, client, iaPds(m), rapid);
      }
      case Dhcpv6Message.REQUEST, Dhcpv6Message.RENEW -> {
        if (client == null || server == null || !Arrays.equals(server.data(), serverDuid)) return null; // §16.4, §16.6
        bind(client);
        return reply(Dhcpv6Message.REPLY, m, client, iaPds(m), false);
      }
      case Dhcpv6Message.REBIND -> {
        if (client == null || server != null) return null; // §16.8
        bind(client);
        return reply(Dhcpv6Message.REPLY, m, client, iaPds(m), false);
      }
      case Dhcpv6Message.RELEASE -> {
        if (client == null || server == null || !Arrays.equals(server.data(), serverDuid)) return null;
        released = true;
        return reply(Dhcpv6Message.REPLY, m, client, List.of(), false, status(Dhcpv6Message.STATUS_SUCCESS, "released"));
      }
      case Dhcpv6Message.INFORMATION_REQUEST -> {
        if (server != null && !Arrays.equals(server.data(), serverDuid)) return null;
        return reply(Dhcpv6Message.REPLY, m, client, List.of(), false);
      }
      default -> {
        return null; // Confirm/Decline carry addresses (IA_NA) we never gave; servers ignore what they don't serve
      }
    }
  }

  private void bind(Option client) {
    released = false;
  }

  /** IA_PD answers: every IAID the client asked about gets the session's prefix (§21.21, §21.22). */
  private List<Option> iaPds(Dhcpv6Message m) {
    List<Option> out = new ArrayList<>();
    for (Option ia : m.all(Dhcpv6Message.OPT_IA_PD)) {
      byte[] d = ia.data();
      if (d.length < 12) continue;
      byte[] prefixOpt = ByteBuffer.allocate(25).putInt(preferred).putInt(valid).put((byte) delegated.length())
          .put(delegated.network()).array();
      byte[] body = ByteBuffer.allocate(12 + 4 + 25).put(d, 0, 4).putInt(preferred / 2).putInt(preferred * 4 / 5)
          .putShort((short) Dhcpv6Message.OPT_IAPREFIX).putShort((short) 25).put(prefixOpt).array();
      out.add(new Option(Dhcpv6Message.OPT_IA_PD, body));
    }
    return out;
  }

  private static Option status(int code, String message) {
    byte[] text = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new Option(Dhcpv6Message.OPT_STATUS_CODE, ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array());
  }

  private byte[] reply(int type, Dhcpv6Message m, Option client, List<Option> ias, boolean rapid, Option... extra) {
    List<Option> opts = new ArrayList<>();
    opts.add(new Option(Dhcpv6Message.OPT_SERVERID, serverDuid));
    if (client != null) opts.add(client);
    if (rapid) opts.add(new Option(Dhcpv6Message.OPT_RAPID_COMMIT, new byte[0]));
    opts.addAll(ias);
    if (!dns.isEmpty()) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (InetAddress a : dns) b.writeBytes(a.getAddress());
      opts.add(new Option(Dhcpv6Message.OPT_DNS_SERVERS, b.toByteArray()));
    }
    opts.addAll(List.of(extra));
    return new Dhcpv6Message(type, m.transactionId(), opts).toBytes();
  }

  /** The UDP/IPv6 packet carrying {@code answer} from our link-local (port 547) to the client's (port 546). */
  public static byte[] packet(long ourInterfaceId, byte[] clientLinkLocal, byte[] answer) {
    byte[] src = Icmpv6Checksum.linkLocal(ourInterfaceId);
    byte[] udp = new byte[8 + answer.length];
    udp[0] = 547 >> 8;
    udp[1] = (byte) 547;
    udp[2] = 546 >> 8;
    udp[3] = (byte) 546;
    udp[4] = (byte) (udp.length >> 8);
    udp[5] = (byte) udp.length;
    System.arraycopy(answer, 0, udp, 8, answer.length);
    int c = Icmpv6Checksum.compute(src, clientLinkLocal, 17, udp);
    udp[6] = (byte) (c >> 8);
    udp[7] = (byte) c;
    return Icmpv6Checksum.ipv6(src, clientLinkLocal, 17, 255, udp);
  }
}
