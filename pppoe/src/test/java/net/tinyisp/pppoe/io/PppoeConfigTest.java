package net.tinyisp.pppoe.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import net.tinyisp.common.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** The dual-stack keys of the pppoe section, as the README documents them; IPv6-only stays the default. */
class PppoeConfigTest {
  static PppoeConfig load(String yaml) {
    return new ConfigLoader().read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "pppoe.yaml",
        PppoeConfig.class);
  }

  static final String BASE = """
      interface: eth1
      radius: ["127.0.0.1:1812"]
      radius-secret: testing123
      prefix-pool: 2001:db8:100::/40
      """;

  @Test
  void ipv6OnlyByDefault() {
    PppoeConfig c = load(BASE);
    assertThat(c.ipcp()).isFalse();
    assertThat(c.padiPerSecond()).isEqualTo(1000.0);
    assertThat(c.maxSessions()).isEqualTo(10_000);
  }

  @Test
  void dualStackKeysLoad() {
    PppoeConfig c = load(BASE + """
        ipcp: true
        ipv4-pool: 198.51.100.0/24
        ipv4-dns: ["203.0.113.53", "203.0.113.54"]
        """);
    assertThat(c.ipcp()).isTrue();
    assertThat(c.ipv4Pool()).isEqualTo("198.51.100.0/24");
    assertThat(c.ipv4DnsAddresses()).extracting(a -> a.getHostAddress()).containsExactly("203.0.113.53", "203.0.113.54");
  }

  @Test
  void ipcpWithoutAPoolOrWithIpv6ResolversFailsAtStart() {
    assertThatThrownBy(() -> load(BASE + "ipcp: true\n")).hasMessageContaining("ipv4-pool");
    assertThatThrownBy(() -> load(BASE + "ipcp: true\nipv4-pool: 198.51.100.0/24\nipv4-dns: [\"2001:db8::53\"]\n"))
        .hasMessageContaining("ipv4-dns");
  }
}
