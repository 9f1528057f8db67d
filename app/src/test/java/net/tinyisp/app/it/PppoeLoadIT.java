package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1000 subscribers from the load client ({@code tinyisp pppoe-client}) dial the access concentrator over a veth pair,
 * authenticated by tinyisp's RADIUS server: all of them up at once, all accounted, then hung up.
 */
class PppoeLoadIT {
  static final String NS = "tinyisp-pppoe-load";
  static final List<Process> processes = new ArrayList<>();
  static Path dir;

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    return Files.exists(p.resolve("bin/tinyisp")) ? p : p.getParent();
  }

  static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
  }

  static void tinyisp(String ready, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, root().resolve("bin/tinyisp").toString()));
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
        // ended
      }
      up.completeExceptionally(new IllegalStateException("tinyisp " + args[0] + " exited: " + lines));
    });
    up.get(90, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void lab() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespace, AF_PACKET, TUN)");
    assumeTrue(Files.exists(root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    dir = Files.createTempDirectory("pppoe-load");
    StringBuilder users = new StringBuilder();
    for (int i = 0; i < 1000; i++) users.append("user").append(i).append("\tCleartext-Password := \"pass").append(i).append("\"\n");
    Files.writeString(dir.resolve("users"), users);
    new ProcessBuilder("ip", "netns", "del", NS).start().waitFor();
    sh("ip", "netns", "add", NS);
    sh("ip", "-n", NS, "link", "set", "lo", "up");
    sh("ip", "-n", NS, "link", "add", "veth-ac", "type", "veth", "peer", "name", "veth-cl");
    sh("ip", "-n", NS, "link", "set", "veth-ac", "up");
    sh("ip", "-n", NS, "link", "set", "veth-cl", "up");
    tinyisp("ready", "radius", "--auth", "127.0.0.1:1812", "--acct", "127.0.0.1:1813", "--client", "127.0.0.1=testing123",
        "--users", dir.resolve("users").toString(), "--accounting-file", dir.resolve("acct.jsonl").toString());
    tinyisp("RunCommand: ready", "pppoe", "--interface", "veth-ac", "--radius", "127.0.0.1:1812", "--radius-secret",
        "testing123", "--prefix-pool", "2001:db8:1000::/36", "--pd-length", "48", "--admin", "127.0.0.1:9153",
        "--coa-listen", "off");
  }

  @AfterAll
  static void teardown() throws Exception {
    for (Process p : processes) {
      p.toHandle().destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }
    new ProcessBuilder("ip", "netns", "del", NS).start().waitFor();
  }

  @Test
  void thousandSubscribersComeUpTogetherAndAreAccounted() throws Exception {
    Process client = new ProcessBuilder("ip", "netns", "exec", NS, root().resolve("bin/tinyisp").toString(),
        "pppoe-client", "--interface", "veth-cl", "--sessions", "1000", "--rate", "1000", "--password", "pass%d",
        "--hold", "2", "--timeout", "90").redirectErrorStream(true).start();
    String out = new String(client.getInputStream().readAllBytes());
    assertThat(client.waitFor(150, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("1000 sessions up").contains("up=1000 failed=0");
    assertThat(client.exitValue()).isZero();
    // every session had its accounting Start, and the hang-up its Stop
    long starts = 0;
    long stops = 0;
    for (int i = 0; i < 100; i++) {
      List<String> lines = Files.readAllLines(dir.resolve("acct.jsonl"));
      starts = lines.stream().filter(l -> l.contains("\"status\":\"Start\"")).count();
      stops = lines.stream().filter(l -> l.contains("\"status\":\"Stop\"")).count();
      if (stops == 1000) break;
      Thread.sleep(200);
    }
    assertThat(starts).isEqualTo(1000);
    assertThat(stops).isEqualTo(1000);
  }
}
