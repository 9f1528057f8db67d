package net.tinyisp.subscribers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's radclient (freeradius-utils), bounded in time, and returns what it printed. */
final class Radclient {
  static final Path BINARY = Path.of("/usr/bin/radclient");

  record Result(int exit, String output) {
    boolean received(String code) {
      return output.contains("Received " + code);
    }
  }

  private Radclient() {}

  static boolean available() {
    return Files.isExecutable(BINARY) && Files.exists(Path.of("/usr/share/freeradius/dictionary"));
  }

  static Result run(String hostPort, String command, String secret, String attributes) throws Exception {
    Process p = new ProcessBuilder(BINARY.toString(), "-x", "-t", "2", "-r", "2", hostPort, command, secret)
        .redirectErrorStream(true).start();
    try {
      p.getOutputStream().write((attributes + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(20, TimeUnit.SECONDS)) throw new IOException("radclient did not finish in 20 s");
      return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  static List<String> lines(Result r) {
    return r.output().lines().map(String::strip).toList();
  }
}
