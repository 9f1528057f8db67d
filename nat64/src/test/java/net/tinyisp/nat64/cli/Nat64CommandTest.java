package net.tinyisp.nat64.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.state.Nat64State;
import net.tinyisp.nat64.state.StateView;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class Nat64CommandTest {
  @Test
  void optionsBecomeTheConfig() {
    Nat64Command c = new Nat64Command();
    new CommandLine(c).parseArgs("--pool6", "2001:db8:64::/96", "--pool4", "203.0.113.5,203.0.113.6",
        "--tcp-ports", "61000-62000", "--icmp-ids", "1000-1999", "--tun", "nat64", "--setup",
        "--static-bib", "tcp 2001:db8::10#80 203.0.113.5#8080");
    Nat64Config cfg = c.config();
    assertThat(cfg.pool4()).hasSize(2);
    assertThat(cfg.pool4().get(1).tcp().toString()).isEqualTo("61000-62000");
    assertThat(cfg.pool4().get(1).icmp().first()).isEqualTo(1000);
    assertThat(cfg.setup()).isTrue();
    assertThat(cfg.staticBib()).hasSize(1);
  }

  @Test
  void wellKnownPrefixWithTestAddressesIsAUsageError() {
    int rc = new CommandLine(new Nat64Command()).execute("--pool4", "203.0.113.5");
    assertThat(rc).isEqualTo(64);
  }

  @Test
  void bibAddAndListThroughTheView() {
    Nat64Config cfg = Nat64Config.of("2001:db8:64::/96",
        java.util.List.of(new net.tinyisp.nat64.config.Pool4Entry("203.0.113.5", null, null, null)));
    StateView view = new StateView(new Nat64State(cfg, Clock.systemUTC()));
    CommandLine cl = new CommandLine(new Nat64Command(() -> view));
    assertThat(cl.execute("bib", "add", "tcp", "2001:db8::10#80", "203.0.113.5#8080")).isZero();
    assertThat(view.bib("tcp")).singleElement().satisfies(r -> {
      assertThat(r.ipv6()).isEqualTo("2001:db8::10#80");
      assertThat(r.ipv4()).isEqualTo("203.0.113.5#8080");
      assertThat(r.isStatic()).isTrue();
    });
    assertThat(cl.execute("bib", "add", "tcp", "2001:db8::11#80", "203.0.113.5#8080")).isEqualTo(1);
    assertThat(cl.execute("bib", "remove", "tcp", "2001:db8::10#80", "203.0.113.5#8080")).isZero();
    assertThat(view.bib("tcp")).isEmpty();
    assertThat(new CommandLine(new Nat64Command()).execute("bib", "add", "tcp", "2001:db8::10#80",
        "203.0.113.5#8080")).isEqualTo(69);
    assertThat(new SimpleMeterRegistry()).isNotNull();
  }
}
