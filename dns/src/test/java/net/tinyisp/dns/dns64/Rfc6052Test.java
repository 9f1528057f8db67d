package net.tinyisp.dns.dns64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import net.tinyisp.common.net.AddressText;
import net.tinyisp.common.net.IpPrefix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 6052 §2.4, Table 1 (the RFC's own examples, 192.0.2.33 under every prefix length) and §2.2 rules. */
class Rfc6052Test {
  static byte[] ip(String s) throws Exception {
    return InetAddress.getByName(s).getAddress();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "2001:db8::/32, 2001:db8:c000:221::",
    "2001:db8:100::/40, 2001:db8:1c0:2:21::",
    "2001:db8:122::/48, 2001:db8:122:c000:2:2100::",
    "2001:db8:122:300::/56, 2001:db8:122:3c0:0:221::",
    "2001:db8:122:344::/64, 2001:db8:122:344:c0:2:2100:0",
    "2001:db8:122:344::/96, 2001:db8:122:344::c000:221",
    "64:ff9b::/96, 64:ff9b::c000:221"
  })
  void rfcTable1(String prefix, String expected) throws Exception {
    Rfc6052 r = new Rfc6052(IpPrefix.parse(prefix), null);
    byte[] v6 = r.embed(ip("192.0.2.33"));
    assertThat(AddressText.format(v6)).isEqualTo(expected);
    assertThat(r.extract(v6)).isEqualTo(ip("192.0.2.33"));
  }

  @Test
  void suffixFillsTheBitsAfterTheIpv4Address() throws Exception {
    Rfc6052 r = new Rfc6052(IpPrefix.parse("2001:db8::/32"), ip("::1"));
    byte[] v6 = r.embed(ip("192.0.2.33"));
    assertThat(AddressText.format(v6)).isEqualTo("2001:db8:c000:221::1");
    assertThat(r.extract(v6)).isEqualTo(ip("192.0.2.33"));
    assertThat(r.extract(ip("2001:db8:c000:221::2"))).as("another suffix is not ours").isNull();
  }

  @Test
  void extractRefusesAddressesOutsideThePrefixOrWithUBitsSet() throws Exception {
    Rfc6052 r = new Rfc6052(IpPrefix.parse("2001:db8:122::/48"), null);
    assertThat(r.extract(ip("2001:db8:123:c000:2:2100::"))).isNull();
    assertThat(r.extract(ip("2001:db8:122:c000:ff02:2100::"))).as("bits 64-71 must be zero").isNull();
  }

  @Test
  void onlyTheRfcLengthsAndZeroUOctet() {
    assertThatThrownBy(() -> new Rfc6052(IpPrefix.parse("64:ff9b::/80"), null))
        .hasMessageContaining("32, 40, 48, 56, 64 and 96");
    assertThatThrownBy(() -> new Rfc6052(IpPrefix.parse("64:ff9b:0:0:ff00::/96"), null))
        .hasMessageContaining("bits 64-71");
    assertThatThrownBy(() -> new Rfc6052(IpPrefix.parse("2001:db8::/32"), new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0})).hasMessageContaining("overlaps");
  }
}
