package net.tinyisp.app.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace the integration tests create for themselves, with tinyisp processes started in it from the
 * distribution ({@code bin/tinyisp}), and everything removed again at the end.
 */
final class NamespaceLab implements AutoCloseable {
  final String name;
  private final List<Process> processes = new ArrayList<>();

  NamespaceLab(String name) throws Exception {
    this.name = name;
    new ProcessBuilder("ip", "netns", "del", name).start().waitFor();
    sh("ip", "netns", "add", name);
    sh("ip", "-n", name, "link", "set", "lo", "up");
  }

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    return Files.exists(p.resolve("bin/tinyisp")) ? p : p.getParent();
  }

  /**
   * A FreeRADIUS-style users file for subscribers user0..user(count-1) with passwords pass0..: the names the load
   * client dials with. {@code replyItems} gives the indented reply lines for subscriber i ("" for none).
   */
  static String users(int count, java.util.function.IntFunction<String> replyItems) {
    StringBuilder users = new StringBuilder();
    for (int i = 0; i < count; i++) {
      users.append("user").append(i).append("\tCleartext-Password := \"pass").append(i).append("\"\n")
          .append(replyItems.apply(i));
    }
    return users.toString();
  }

  static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
  }

  /** {@code ip -n NS ARGS...} */
  void ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
    cmd.addAll(List.of(args));
    sh(cmd.toArray(String[]::new));
  }

  /** Starts {@code tinyisp ARGS...} in the namespace and waits for a line containing {@code ready}. */
  Process tinyisp(String ready, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, root().resolve("bin/tinyisp").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    processes.add(p);
    List<String> lines = new ArrayList<>();
    CompletableFuture<Void> up = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
        for (String l; (l = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(l);
          }
          if (l.contains(ready)) up.complete(null);
        }
      } catch (IOException ignored) {
        // the process ended
      }
      up.completeExceptionally(new IllegalStateException("tinyisp " + args[0] + " exited: " + lines));
    });
    up.get(90, TimeUnit.SECONDS);
    return p;
  }

  /** Any other long-running process in the namespace, stopped with the lab. */
  Process background(Path log, String... cmd) throws Exception {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(List.of(cmd));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    return p;
  }

  /** Runs {@code tinyisp ARGS...} to completion in the namespace (CLI commands) and returns its output. */
  String cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, root().resolve("bin/tinyisp").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() throws Exception {
    for (Process p : processes) {
      p.toHandle().destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }
    new ProcessBuilder("ip", "netns", "del", name).start().waitFor();
  }
}
