package net.tinyisp.radius.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's radclient (freeradius-utils) with a bounded timeout and collects what it printed. */
final class Radclient {
  static final Path BINARY = Path.of("/usr/bin/radclient");

  record Result(int exit, String output) {
    boolean received(String code) {
      return output.contains("Received " + code);
    }
  }

  static boolean available() {
    return Files.isExecutable(BINARY) && Files.exists(Path.of("/usr/share/freeradius/dictionary"));
  }

  /** {@code radclient -x -t 1 -r 1 HOST:PORT command secret} with {@code attributes} on stdin. */
  static Result run(String hostPort, String command, String secret, String attributes) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-x", "-t", "1", "-r", "1", hostPort, command,
        secret));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Process p = pb.start();
    try {
      p.getOutputStream().write((attributes + "\n").getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("radclient did not finish in 15 s");
      }
      return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }
}
