package net.tinyisp.nat64.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.common.config.ConfigLoader;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.nat64.wire.Pool6;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void wellKnownPrefixWithNonGlobalPool4IsRefusedUnlessAllowed() {
    List<Pool4Entry> pool4 = List.of(new Pool4Entry("198.51.100.1", null, null, null));
    assertThatThrownBy(() -> Nat64Config.of("64:ff9b::/96", pool4)).hasMessageContaining("RFC 6052 §3.1");
    assertThat(Nat64Config.of("2001:db8:64::/96", pool4).pool6()).isEqualTo("2001:db8:64::/96");
    assertThat(new Nat64Config("64:ff9b::/96", pool4, null, null, null, true, null, null, null, null, null, null, null)
        .allowWkpNonGlobal()).isTrue();
    assertThat(Nat64Config.of("64:ff9b::/96", List.of(new Pool4Entry("8.8.8.8", null, null, null)))).isNotNull();
  }

  @Test
  void yamlWithDefaultsAndErrors() {
    String yaml = """
        pool6: 2001:db8:64::/96
        pool4:
          - address: 203.0.113.5
            tcp: 61000-65535
            udp: 61000-62000
        timers:
          udp: 120
        static-bib:
          - tcp 2001:db8::10#80 203.0.113.5#8080
        filtering: address_dependent
        """;
    Nat64Config c = read(yaml);
    assertThat(c.pool4().getFirst().udp()).isEqualTo(new PortRange(61000, 62000));
    assertThat(c.pool4().getFirst().icmp()).isEqualTo(Pool4Entry.DEFAULT_RANGE);
    assertThat(c.timers().udp().toSeconds()).isEqualTo(120);
    assertThat(c.timers().icmp().toSeconds()).isEqualTo(60);
    assertThat(c.timers().tcpEstablished().toMinutes()).isEqualTo(124);
    assertThat(c.staticBib().getFirst().v4Port()).isEqualTo(8080);
    assertThat(c.lowestIpv6Mtu()).isEqualTo(1280);
    assertThat(c.tun()).isEqualTo("nat64");
    assertThat(c.rxCoalesceUsecs()).isEqualTo(Nat64Config.DEFAULT_RX_COALESCE_USECS);
    assertThat(read("pool6: 2001:db8:64::/96\npool4: [{address: 203.0.113.5}]\nrx-coalesce-usecs: 0\n")
        .rxCoalesceUsecs()).isZero();
    assertThatThrownBy(() -> read("pool6: 2001:db8:64::/96\npool4: [{address: 203.0.113.5}]\nrx-coalesce-usecs: -1\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rx-coalesce-usecs must be 0..10000");
    assertThatThrownBy(() -> read("pool6: 2001:db8:64::/80\npool4: [{address: 203.0.113.5}]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("32, 40, 48, 56, 64 and 96");
    assertThatThrownBy(() -> read("pool4: [{address: 203.0.113.5, tcp: 70000-1}]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("port range");
    assertThatThrownBy(() -> read("pool6: 2001:db8:64::/96\npool4: [{address: 203.0.113.5}]\n"
        + "static-bib: ['tcp 2001:db8::10#80 203.0.113.9#80']\n")).hasMessageContaining("not a pool4 address");
  }

  static Nat64Config read(String yaml) {
    return new ConfigLoader().read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml",
        Nat64Config.class);
  }

  @Test
  void rfc6052ExamplesForEveryLength() {
    // RFC 6052 §2.4 Table 1 (192.0.2.33 is the RFC's own example; only used as bytes here)
    int v4 = 0xc0000221;
    String[][] rows = {
      {"2001:db8::/32", "2001:db8:c000:221::"},
      {"2001:db8:100::/40", "2001:db8:1c0:2:21::"},
      {"2001:db8:122::/48", "2001:db8:122:c000:2:2100::"},
      {"2001:db8:122:300::/56", "2001:db8:122:3c0:0:221::"},
      {"2001:db8:122:344::/64", "2001:db8:122:344:c0:2:2100:0"},
      {"2001:db8:122:344::/96", "2001:db8:122:344::c000:221"},
    };
    for (String[] r : rows) {
      Pool6 p = new Pool6(IpPrefix.parse(r[0]));
      byte[] expected = IpPrefix.parse(r[1]).network();
      assertThat(p.embed(v4)).as(r[0]).isEqualTo(expected);
      assertThat(p.extract(expected, 0)).as(r[0]).isEqualTo(v4);
      assertThat(p.contains(expected, 0)).isTrue();
    }
    assertThatThrownBy(() -> new Pool6(IpPrefix.parse("2001:db8::/80"))).hasMessageContaining("RFC 6052");
  }
}
