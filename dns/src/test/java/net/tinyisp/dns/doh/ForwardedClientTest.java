package net.tinyisp.dns.doh;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import org.junit.jupiter.api.Test;

class ForwardedClientTest {
  static final List<IpPrefix> TRUSTED = List.of(IpPrefix.parse("127.0.0.1/32"), IpPrefix.parse("2001:db8:ffff::/48"));

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void untrustedPeerIsTheClientWhateverItClaims() throws Exception {
    assertThat(ForwardedClient.resolve(ip("203.0.113.5"), TRUSTED, "for=198.51.100.1", "198.51.100.1"))
        .isEqualTo(ip("203.0.113.5"));
  }

  @Test
  void xForwardedForIsReadRightToLeftSkippingTrustedHops() throws Exception {
    assertThat(ForwardedClient.resolve(ip("127.0.0.1"), TRUSTED, null, "198.51.100.66, 203.0.113.7, 2001:db8:ffff::1"))
        .isEqualTo(ip("203.0.113.7"));
  }

  @Test
  void forwardedRfc7239Forms() throws Exception {
    // RFC 7239 §4 examples: quoted IPv6 with port, several elements, other parameters
    assertThat(ForwardedClient.resolve(ip("127.0.0.1"), TRUSTED, "for=\"[2001:db8:cafe::17]:4711\"", null))
        .isEqualTo(ip("2001:db8:cafe::17"));
    assertThat(ForwardedClient.resolve(ip("127.0.0.1"), TRUSTED, "for=198.51.100.60;proto=http;by=203.0.113.43", null))
        .isEqualTo(ip("198.51.100.60"));
    assertThat(ForwardedClient.resolve(ip("127.0.0.1"), TRUSTED, "for=198.51.100.43, for=198.51.100.60", null))
        .isEqualTo(ip("198.51.100.60"));
  }

  @Test
  void obfuscatedOrUnknownOrNamesLeaveTheProxy() throws Exception {
    assertThat(ForwardedClient.resolve(ip("127.0.0.1"), TRUSTED, "for=unknown", null)).isEqualTo(ip("127.0.0.1"));
    assertThat(ForwardedClient.resolve(ip("127.0.0.1"), TRUSTED, "for=_hidden", null)).isEqualTo(ip("127.0.0.1"));
    assertThat(ForwardedClient.resolve(ip("127.0.0.1"), TRUSTED, null, "evil.example")).isEqualTo(ip("127.0.0.1"));
  }
}
