package net.tinyisp.dns.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.tinyisp.dns.cli.EncryptedDnsOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class EncryptedDnsOptionsTest {
  @Command(name = "dns64")
  static final class Host {
    @Mixin EncryptedDnsOptions encrypted;
  }

  static EncryptedDnsOptions parse(String... args) {
    Host h = new Host();
    new CommandLine(h).parseArgs(args);
    return h.encrypted;
  }

  @Test
  void flagsOfTheIssue() {
    EncryptedDnsConfig c = parse("--dot", "127.0.0.1:8853", "--doh", "127.0.0.1:8443", "--cert", "fullchain.pem",
        "--key", "privkey.pem", "--doh-plain", "127.0.0.1:8080", "--trusted-proxy", "127.0.0.1").config("/tmp/x");
    assertThat(c.dotListen().getFirst().port()).isEqualTo(8853);
    assertThat(c.dohListen().getFirst().port()).isEqualTo(8443);
    assertThat(c.dohPlainListen().getFirst().port()).isEqualTo(8080);
    assertThat(c.trustedProxies()).hasSize(1);
    assertThat(c.dataDir()).isEqualTo("/tmp/x");
  }

  @Test
  void nothingAskedNothingStarted() {
    assertThat(parse().config("/tmp/x")).isNull();
    assertThatThrownBy(() -> parse("--cert", "a.pem", "--key", "b.pem").config("/tmp/x"))
        .hasMessageContaining("--dot");
  }
}
