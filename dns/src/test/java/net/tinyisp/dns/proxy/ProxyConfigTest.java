package net.tinyisp.dns.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {
  @Test
  void upstreamUrls() {
    assertThat(UpstreamUrl.parse("https://dns.example/dns-query"))
        .isEqualTo(new UpstreamUrl(UpstreamUrl.Kind.DOH, "dns.example", 443, "/dns-query"));
    assertThat(UpstreamUrl.parse("https://[2001:db8::53]:8443/q").authority()).isEqualTo("[2001:db8::53]:8443");
    assertThat(UpstreamUrl.parse("tls://dns.example")).isEqualTo(
        new UpstreamUrl(UpstreamUrl.Kind.DOT, "dns.example", 853, ""));
    assertThatThrownBy(() -> UpstreamUrl.parse("udp://1.2.3.4")).hasMessageContaining("scheme");
    assertThatThrownBy(() -> UpstreamUrl.parse("https:///x")).hasMessageContaining("HOST");
  }

  @Test
  void bootstrapPerHostOrForAll() throws Exception {
    DohProxyConfig c = DohProxyConfig.of(null, List.of("https://dns.example/dns-query", "tls://other.example"),
        List.of("dns.example=198.51.100.53", "2001:db8::53"), false, null);
    assertThat(c.bootstrapFor("dns.example")).isEqualTo(InetAddress.getByName("198.51.100.53"));
    assertThat(c.bootstrapFor("other.example")).isEqualTo(InetAddress.getByName("2001:db8::53"));
    assertThat(c.bootstrapFor("198.51.100.1")).isNull();
    assertThat(c.listenAddresses()).hasSize(2);
    assertThatThrownBy(() -> DohProxyConfig.of(null, List.of("https://x/"), List.of("x=notanip"), false, null))
        .hasMessageContaining("bootstrap");
    assertThatThrownBy(() -> DohProxyConfig.of(null, List.of(), null, false, null)).hasMessageContaining("upstream");
  }
}
