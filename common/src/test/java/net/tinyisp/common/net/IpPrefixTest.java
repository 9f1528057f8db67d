package net.tinyisp.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpPrefixTest {

  @Test
  void bindShortIpv4FormsAreAccepted() throws Exception {
    assertThat(IpPrefix.parse("10/8")).isEqualTo(IpPrefix.parse("10.0.0.0/8"));
    assertThat(IpPrefix.parse("192.168/16").toString()).isEqualTo("192.168.0.0/16");
    assertThat(IpPrefix.parse("10/8").contains(InetAddress.getByName("10.200.1.1"))).isTrue();
    assertThat(IpPrefix.parse("10/8").contains(InetAddress.getByName("11.0.0.1"))).isFalse();
  }

  @Test
  void ipv6PrefixesAndCanonicalText() throws Exception {
    IpPrefix p = IpPrefix.parse("64:FF9B::/96");
    assertThat(p.toString()).isEqualTo("64:ff9b::/96");
    assertThat(p.contains(InetAddress.getByName("64:ff9b::c000:201"))).isTrue();
    assertThat(p.contains(InetAddress.getByName("64:ff9c::1"))).isFalse();
    assertThat(IpPrefix.parse("::ffff:0:0/96").toString()).isEqualTo("::ffff:0:0/96");
    assertThat(IpPrefix.parse("2001:db8::/33").contains(InetAddress.getByName("2001:db8:7fff::1"))).isTrue();
    assertThat(IpPrefix.parse("2001:db8::/33").contains(InetAddress.getByName("2001:db8:8000::1"))).isFalse();
  }

  @Test
  void familiesNeverMatchEachOther() throws Exception {
    assertThat(IpPrefix.parse("0.0.0.0/0").contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(IpPrefix.parse("::/0").contains(InetAddress.getByName("127.0.0.1"))).isFalse();
  }

  @Test
  void badPrefixesSayWhy() {
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.1/8")).hasMessageContaining("host bits").hasMessageContaining("10.0.0.0/8");
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessageContaining("0..32");
    assertThatThrownBy(() -> IpPrefix.parse("300.1.1.1")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> IpPrefix.parse("example.com")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IpPrefix.parse("::1/x")).hasMessageContaining("length");
  }

  @Test
  void rfc5952Text() {
    assertThat(AddressText.format(new byte[16])).isEqualTo("::");
    byte[] a = new byte[16];
    a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = (byte) 0xb8; a[7] = 1; a[15] = 1;
    assertThat(AddressText.format(a)).isEqualTo("2001:db8:0:1::1");
  }
}
