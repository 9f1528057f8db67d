package net.tinyisp.pppoe.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.pppoe.ipv6.RouterAdvertisement;
import org.junit.jupiter.api.Test;

/** The load client's SLAAC from the access concentrator's own RA (RFC 4862 §5.5.3) and its Router Solicitation. */
class SlaacPrefixTest {
  static final long IID = 0x2899_e4ba_2dff_4cd1L;

  @Test
  void theAcsRaGivesTheSlash64AndTheAddressUsesTheIpv6cpIdentifier() throws Exception {
    RouterAdvertisement ra = new RouterAdvertisement(IpPrefix.parse("2001:db8:1000:1::/64"), 1800, 1492,
        List.of(java.net.InetAddress.getByName("2001:db8::53")), IpPrefix.parse("64:ff9b::/96"), true);
    byte[] p = ra.packet(0x1234, IpPrefix.parse("ff02::1").network());
    assertThat(SlaacPrefix.isRouterAdvertisement(p, p.length)).isTrue();
    byte[] prefix = SlaacPrefix.autonomousPrefix(p, p.length);
    assertThat(SlaacPrefix.address(prefix, IID)).isEqualTo("2001:db8:1000:1:2899:e4ba:2dff:4cd1");
    assertThat(SlaacPrefix.linkLocal(IID)).isEqualTo("fe80:0:0:0:2899:e4ba:2dff:4cd1");
  }

  @Test
  void truncatedOrZeroLengthOptionsGiveNothing() {
    RouterAdvertisement ra = new RouterAdvertisement(IpPrefix.parse("2001:db8:1000:1::/64"), 1800, 1492,
        List.of(), null, true);
    byte[] p = ra.packet(0x1234, IpPrefix.parse("ff02::1").network());
    assertThat(SlaacPrefix.autonomousPrefix(p, 60)).isNull();
    byte[] zero = p.clone();
    zero[57] = 0; // first option's length 0: RFC 4861 §4.6 says discard
    assertThat(SlaacPrefix.autonomousPrefix(zero, zero.length)).isNull();
    assertThat(SlaacPrefix.autonomousPrefix(new byte[40], 40)).isNull();
  }

  @Test
  void routerSolicitationHasAValidChecksum() {
    byte[] rs = SlaacPrefix.routerSolicitation(IID);
    long sum = 0;
    for (int i = 8; i < 40; i += 2) sum += (rs[i] & 0xff) << 8 | rs[i + 1] & 0xff;
    sum += 8 + 58;
    for (int i = 40; i < 48; i += 2) sum += (rs[i] & 0xff) << 8 | rs[i + 1] & 0xff;
    while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
    assertThat(sum).isEqualTo(0xffff);
    assertThat(rs[40] & 0xff).isEqualTo(133);
    assertThat(rs[7] & 0xff).isEqualTo(255);
  }
}
