package net.tinyisp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import net.tinyisp.app.cli.TinyispCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result run(String... args) {
    CommandLine cl = TinyispCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void embeddedDefaultConfigIsValid() {
    assertThat(run("check").code()).isZero();
  }

  @Test
  void unknownKeyFailsWithFileLineAndExitCode78() throws Exception {
    Path f = dir.resolve("tinyisp.yaml");
    Files.writeString(f, "admin:\n  listen: [\"127.0.0.1:9053\"]\n  prot: 1\n");
    Result r = run("check", "--config", f.toString());
    assertThat(r.code()).isEqualTo(TinyispCommand.EXIT_CONFIG);
    assertThat(r.err()).contains(f + ":3:").contains("unknown key 'prot' in 'admin'");
  }

  @Test
  void badValuesAreExplained() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "log:\n  format: xml\n");
    Result r = run("check", "--config", f.toString());
    assertThat(r.code()).isEqualTo(TinyispCommand.EXIT_CONFIG);
    assertThat(r.err()).contains("expected text or json");
    Files.writeString(f, "admin:\n  listen: [\"localhost:80\"]\n");
    assertThat(run("check", "--config", f.toString()).err()).contains("literal");
    assertThat(run("check", "--config", dir.resolve("missing.yaml").toString()).err()).contains("no such file");
  }
}
