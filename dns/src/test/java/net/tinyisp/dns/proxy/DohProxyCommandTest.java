package net.tinyisp.dns.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import net.tinyisp.dns.cli.DohProxyCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DohProxyCommandTest {
  @Test
  void helpListsTheOptions() {
    StringWriter out = new StringWriter();
    int rc = new CommandLine(new DohProxyCommand()).setOut(new PrintWriter(out)).execute("--help");
    assertThat(rc).isZero();
    assertThat(out.toString()).contains("--listen", "--upstream", "--bootstrap", "--insecure", "--ca");
  }

  @Test
  void missingUpstreamIsAUsageError() {
    StringWriter err = new StringWriter();
    int rc = new CommandLine(new DohProxyCommand()).setErr(new PrintWriter(err)).execute("--listen", "127.0.0.1:0");
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString()).contains("--upstream");
  }
}
