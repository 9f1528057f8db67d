package net.tinyisp.dns.encrypted;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real client (kdig, curl) with a hard time limit; skips the test when the binary is not installed. */
public final class Peer {
  public record Result(int exit, String out, String err) {}

  private Peer() {}

  public static void require(String binary) {
    boolean found = List.of("/usr/bin/", "/usr/sbin/", "/usr/local/bin/").stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d + binary)));
    assumeTrue(found, binary + " is not installed (apt-get install the package listed in .ci/setup.d/dns-encrypted.sh)");
  }

  public static Result run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
    require(command[0]);
    Path out = Files.createTempFile("peer", ".out");
    Path err = Files.createTempFile("peer", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
