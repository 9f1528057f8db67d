package net.tinyisp.pppoe.ipv6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterAdvertisementTest {
  static final byte[] ALL_NODES = IpPrefix.parse("ff02::1").network();

  private static RouterAdvertisement ra() throws Exception {
    return new RouterAdvertisement(IpPrefix.parse("2001:db8:1::/64"), 1800, 1492,
        List.of(InetAddress.getByName("2001:db8::53")), IpPrefix.parse("64:ff9b::/96"), true);
  }

  @Test
  void layoutFollowsRfc4861AndTheOptionRfcs() throws Exception {
    byte[] icmp = ra().icmp();
    assertThat(icmp[0] & 0xff).isEqualTo(134);
    assertThat(icmp[5] & 0xff).isEqualTo(0x40); // O flag
    assertThat((icmp[6] & 0xff) << 8 | icmp[7] & 0xff).isEqualTo(1800);
    // 16 header + 32 prefix info + 8 MTU + 24 RDNSS + 16 PREF64
    assertThat(icmp).hasSize(96);
    assertThat(icmp[80]).isEqualTo((byte) 38);
    assertThat(icmp[83] & 7).isZero(); // PLC 0 = /96
  }

  @Test
  void tsharkDecodesPrefixRdnssPref64AndAValidChecksum(@TempDir Path dir) throws Exception {
    assumeTrue(Pcap.tsharkAvailable(), "tshark is not installed");
    String text = Pcap.decode(dir, List.of(ra().packet(0x0200_0000_0000_0001L, ALL_NODES)));
    assertThat(text).contains("Router Advertisement");
    assertThat(text).contains("Prefix: 2001:db8:1::");
    assertThat(text).contains("2001:db8::53");
    assertThat(text).containsIgnoringCase("PREF64");
    assertThat(text).contains("64:ff9b::");
    assertThat(text).contains("MTU: 1492");
    assertThat(text).contains("[Checksum Status: Good]");
    assertThat(text).contains("Source Address: fe80::200:0:0:1");
  }
}
