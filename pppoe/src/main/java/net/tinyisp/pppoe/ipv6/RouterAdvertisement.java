package net.tinyisp.pppoe.ipv6;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;

/**
 * The Router Advertisement a subscriber gets on its PPP link (RFC 4861 §4.2): its /64 for SLAAC (Prefix Information,
 * L and A set), the link MTU, RDNSS (RFC 8106) with the ISP's resolvers, and PREF64 (RFC 8781) with the NAT64 prefix
 * so that CLAT and DNS64-less clients find it without asking ipv4only.arpa.
 *
 * @param prefix the subscriber's /64 on the link
 * @param routerLifetime seconds (RFC 4861: 0 means "not a default router"; we are one)
 * @param mtu the PPP link MTU announced (1492 on PPPoE)
 * @param dns resolvers for RDNSS; empty = no option
 * @param pref64 the NAT64 prefix (length 32, 40, 48, 56, 64 or 96), or null
 * @param otherConfig the O flag: DHCPv6 has more (DNS, and a delegated prefix is asked for separately)
 */
public record RouterAdvertisement(IpPrefix prefix, int routerLifetime, int mtu, List<InetAddress> dns, IpPrefix pref64,
    boolean otherConfig) {

  public RouterAdvertisement {
    if (prefix.isIpv4() || prefix.length() != 64) throw new IllegalArgumentException("SLAAC needs an IPv6 /64");
    if (pref64 != null && (pref64.isIpv4() || !List.of(32, 40, 48, 56, 64, 96).contains(pref64.length()))) {
      throw new IllegalArgumentException("PREF64 length must be 32, 40, 48, 56, 64 or 96 (RFC 8781 §4)");
    }
    dns = List.copyOf(dns);
  }

  /** The whole IPv6 packet from our link-local address to {@code destination} (ff02::1 or the soliciting host). */
  public byte[] packet(long ourInterfaceId, byte[] destination) {
    byte[] src = Icmpv6Checksum.linkLocal(ourInterfaceId);
    byte[] icmp = icmp();
    int c = Icmpv6Checksum.compute(src, destination, 58, icmp);
    icmp[2] = (byte) (c >> 8);
    icmp[3] = (byte) c;
    return Icmpv6Checksum.ipv6(src, destination, 58, 255, icmp); // §6.1.2: hop limit 255
  }

  byte[] icmp() {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    b.writeBytes(new byte[] {(byte) 134, 0, 0, 0, 64, (byte) (otherConfig ? 0x40 : 0),
        (byte) (routerLifetime >> 8), (byte) routerLifetime, 0, 0, 0, 0, 0, 0, 0, 0});
    // Prefix Information (RFC 4861 §4.6.2): L+A, valid 1 day, preferred 4 h
    b.writeBytes(new byte[] {3, 4, 64, (byte) 0xc0});
    b.writeBytes(u32(86_400));
    b.writeBytes(u32(14_400));
    b.writeBytes(new byte[4]);
    b.writeBytes(prefix.network());
    // MTU (§4.6.4)
    b.writeBytes(new byte[] {5, 1, 0, 0});
    b.writeBytes(u32(mtu));
    if (!dns.isEmpty()) {
      // RDNSS (RFC 8106 §5.1): lifetime at least 3 x MaxRtrAdvInterval; Length in 8-octet units
      b.writeBytes(new byte[] {25, (byte) (1 + 2 * dns.size()), 0, 0});
      b.writeBytes(u32(Math.max(3 * 600, routerLifetime)));
      for (InetAddress a : dns) b.writeBytes(a.getAddress());
    }
    if (pref64 != null) {
      // PREF64 (RFC 8781 §4): Scaled Lifetime in units of 8 s (13 bits) and the Prefix Length Code (3 bits)
      int scaled = Math.min(8191, (Math.max(3 * 600, routerLifetime) + 7) / 8);
      int plc = switch (pref64.length()) {
        case 96 -> 0;
        case 64 -> 1;
        case 56 -> 2;
        case 48 -> 3;
        case 40 -> 4;
        default -> 5; // 32
      };
      int field = scaled << 3 | plc;
      b.writeBytes(new byte[] {38, 2, (byte) (field >> 8), (byte) field});
      b.writeBytes(java.util.Arrays.copyOf(pref64.network(), 12));
    }
    return b.toByteArray();
  }

  private static byte[] u32(int v) {
    return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
  }
}
