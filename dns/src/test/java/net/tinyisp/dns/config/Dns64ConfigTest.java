package net.tinyisp.dns.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.common.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** The dns64 config from YAML and from flags: defaults, bind's words, errors with line numbers. */
class Dns64ConfigTest {
  static Dns64Config yaml(String text) {
    return new ConfigLoader().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml",
        Dns64Config.class);
  }

  @Test
  void everyKeyFromYaml() throws Exception {
    Dns64Config c = yaml("""
        listen: ["127.0.0.1:5353", "[::1]:5353"]
        upstreams: ["127.0.0.1:5300"]
        prefixes:
          - prefix: 64:ff9b::/96
            clients: "any;"
            mapped: "!10/8; any;"
            exclude: "::ffff:0:0/96;"
            suffix: "::"
            break-dnssec: true
            recursive-only: false
        allow-query: "127.0.0.0/8; 2001:db8::/32;"
        subscriber-networks: ["2001:db8:100::/40"]
        cache-size: 5000
        cache-max-ttl: 3600
        upstream-timeout-ms: 800
        upstream-retries: 1
        tcp-idle-timeout-ms: 5000
        max-udp-size: 1232
        """);
    assertThat(c.prefixes()).hasSize(1);
    assertThat(c.prefixes().get(0).breakDnssec()).isTrue();
    assertThat(c.cacheSize()).isEqualTo(5000);
    assertThat(c.allowQueryAcl().allows(InetAddress.getByName("2001:db8::5"))).isTrue();
  }

  @Test
  void defaultsFollowBindAndTheIssue() {
    Dns64Config c = yaml("upstreams: [\"127.0.0.1:5300\"]\n");
    assertThat(c.listen()).containsExactly("127.0.0.1:5353", "[::1]:5353");
    assertThat(c.maxUdpSize()).isEqualTo(1232);
    Dns64Prefix p = c.prefixes().get(0);
    assertThat(p.prefix()).isEqualTo("64:ff9b::/96");
    assertThat(p.clients()).isEqualTo("any;");
    assertThat(p.mapped()).isEqualTo("any;");
    assertThat(p.exclude()).isEqualTo("::ffff:0:0/96;");
    assertThat(p.breakDnssec()).isFalse();
    assertThat(p.recursiveOnly()).isFalse();
  }

  @Test
  void allowQueryDefaultsToLoopbackPlusSubscriberNetworks() throws Exception {
    Dns64Config c = yaml("upstreams: [\"127.0.0.1:5300\"]\nsubscriber-networks: [\"2001:db8:100::/40\"]\n");
    assertThat(c.allowQueryAcl().allows(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(c.allowQueryAcl().allows(InetAddress.getByName("::1"))).isTrue();
    assertThat(c.allowQueryAcl().allows(InetAddress.getByName("2001:db8:1ff::1"))).isTrue();
    assertThat(c.allowQueryAcl().allows(InetAddress.getByName("198.51.100.1"))).isFalse();
  }

  @Test
  void badValuesFailWithLineAndExpectedForm() {
    assertThatThrownBy(() -> yaml("upstreams: [\"127.0.0.1:5300\"]\nprefixes:\n  - prefix: 64:ff9b::/80\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml:")
        .hasMessageContaining("32, 40, 48, 56, 64 and 96");
    assertThatThrownBy(() -> yaml("upstreams: [\"127.0.0.1:5300\"]\nbreak-dnsec: true\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml:2")
        .hasMessageContaining("unknown key 'break-dnsec'");
    assertThatThrownBy(() -> yaml("upstreams: [\"127.0.0.1:5300\"]\nprefixes:\n  - prefix: 64:ff9b::/96\n    mapped: \"10/8 any\"\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("expected ';'");
    assertThatThrownBy(() -> yaml("upstreams: [\"127.0.0.1:5300\"]\nmax-udp-size: 100\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("512..4096");
  }

  @Test
  void fromFlagsAppliesTheAclsToEveryPrefix() {
    Dns64Config c = Dns64Config.fromFlags(List.of("127.0.0.1:5353"), List.of("127.0.0.1:5300"),
        List.of("64:ff9b::/96", "2001:db8:64::/96"), "any;", "!10/8; any;", null, null, true, "127.0.0.1;");
    assertThat(c.prefixes()).hasSize(2).allMatch(p -> p.mapped().equals("!10/8; any;") && p.breakDnssec());
    assertThat(c.allowQuery()).isEqualTo("127.0.0.1;");
    assertThatThrownBy(() -> Dns64Config.fromFlags(List.of("nonsense"), List.of("127.0.0.1"), List.of(), null, null,
        null, null, false, null)).hasMessageContaining("nonsense");
  }

  @Test
  void resolvConfNameservers() {
    assertThat(ResolvConf.parse("""
        # generated
        search example
        nameserver 192.0.2.53
        nameserver 2001:db8::53 # v6
        nameserver not-an-address
        options edns0
        """)).containsExactly("192.0.2.53:53", "[2001:db8::53]:53");
  }

  @Test
  void udpBusyPollDefaultsTo50MicrosecondsAndZeroTurnsItOff() {
    Dns64Config c = yaml("upstreams: [\"127.0.0.1:5300\"]\n");
    assertThat(c.udpBusyPollUsecs()).isEqualTo(50);
    assertThat(yaml("upstreams: [\"127.0.0.1:5300\"]\nudp-busy-poll-usecs: 0\n").udpBusyPollUsecs()).isZero();
    assertThat(c.withIo(null, null, 10).udpBusyPollUsecs()).isEqualTo(10);
    assertThatThrownBy(() -> yaml("upstreams: [\"127.0.0.1:5300\"]\nudp-busy-poll-usecs: -1\n"))
        .hasMessageContaining("udp-busy-poll-usecs");
    assertThatThrownBy(() -> c.withIo(null, null, 5000)).hasMessageContaining("0..1000");
  }

  @Test
  void udpIoAndIoThreadsDefaults() {
    Dns64Config c = yaml("upstreams: [\"127.0.0.1:5300\"]\n");
    assertThat(c.nativeUdp()).isTrue();
    assertThat(yaml("upstreams: [\"127.0.0.1:5300\"]\nudp-io: netty\nio-threads: 3\n"))
        .matches(d -> !d.nativeUdp() && d.ioThreads() == 3);
    assertThat(c.withIo(2, "netty", null)).matches(d -> !d.nativeUdp() && d.ioThreads() == 2);
    assertThat(c.withIo(null, null, null)).isEqualTo(c);
    assertThatThrownBy(() -> c.withIo(0, null, null)).hasMessageContaining("io-threads");
    assertThat(Dns64Config.defaultIoThreads(1)).isEqualTo(1);
    assertThat(Dns64Config.defaultIoThreads(2)).isEqualTo(1);
    assertThat(Dns64Config.defaultIoThreads(8)).isEqualTo(4);
    assertThatThrownBy(() -> yaml("upstreams: [\"127.0.0.1:5300\"]\nudp-io: epoll\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml:").hasMessageContaining("'native' or 'netty'");
  }

  @Test
  void xdpIsOffByDefaultAndItsKeysAreChecked() {
    Dns64Config c = yaml("upstreams: [\"127.0.0.1:5300\"]\n");
    assertThat(c.xdpInterface()).isNull();
    assertThat(c.xdpQueues()).isEqualTo(1);
    assertThat(c.xdpMode()).isEqualTo("driver");
    Dns64Config x = yaml("upstreams: [\"127.0.0.1:5300\"]\nxdp-interface: eth0\nxdp-queues: 4\nxdp-mode: generic\n");
    assertThat(x).matches(d -> d.xdpInterface().equals("eth0") && d.xdpQueues() == 4 && d.xdpMode().equals("generic"));
    assertThat(c.withXdp("veth1", null, null)).matches(d -> d.xdpInterface().equals("veth1") && d.xdpQueues() == 1);
    assertThat(c.withXdp(null, null, null)).isEqualTo(c);
    assertThatThrownBy(() -> yaml("upstreams: [\"127.0.0.1:5300\"]\nxdp-interface: a-name-far-too-long0\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml:").hasMessageContaining("xdp-interface");
    assertThatThrownBy(() -> c.withXdp("eth0", 0, null)).hasMessageContaining("'xdp-queues' must be 1..256");
    assertThatThrownBy(() -> c.withXdp("eth0", null, "offload")).hasMessageContaining("'driver' or 'generic'");
  }
}
