package net.tinyisp.subscribers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RadiusStoreCommandTest {
  @TempDir Path dir;

  @Test
  void adminSubcommandsRunUnderTheServerCommand() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new RadiusStoreCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    int exit = cl.execute("plan", "add", "p1", "--down", "1000", "--up", "500", "--data-dir", dir.toString());
    assertThat(exit).as(out.toString()).isZero();
    assertThat(cl.getSubcommands()).containsKeys("subscriber", "plan", "import", "coa", "disconnect");
  }
}
