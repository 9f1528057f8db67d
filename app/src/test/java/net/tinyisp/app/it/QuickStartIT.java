package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an operator runs it: the shaded jar through {@code bin/tinyisp}, a YAML file, a real kdig,
 * curl-like HTTP for /health and /metrics, and SIGTERM for a clean stop.
 */
class QuickStartIT {
  @TempDir Path dir;
  private Process process;
  private Thread reader;
  private final List<String> log = new ArrayList<>();

  @AfterEach
  void stop() {
    if (process != null) process.destroyForcibly();
  }

  private static int freePort() throws IOException {
    // a port free for both UDP and TCP
    for (int i = 0; i < 20; i++) {
      try (ServerSocket s = new ServerSocket(0); DatagramSocket d = new DatagramSocket(s.getLocalPort())) {
        return s.getLocalPort();
      } catch (IOException busy) {
        // try another
      }
    }
    throw new IOException("no free port");
  }

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    return Files.exists(p.resolve("bin/tinyisp")) ? p : p.getParent();
  }

  private void start(Path config) throws Exception {
    process = new ProcessBuilder(root().resolve("bin/tinyisp").toString(), "run", "--config", config.toString())
        .redirectErrorStream(true).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    reader = Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (log) {
            log.add(line);
          }
          if (line.contains("RunCommand: ready")) ready.complete(null);
        }
      } catch (IOException ignored) {
        // the process ended
      }
      ready.completeExceptionally(new IllegalStateException("tinyisp exited before ready: " + log));
    });
    ready.get(60, TimeUnit.SECONDS);
  }

  private static String kdig(int port, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kdig", "@127.0.0.1", "-p", String.valueOf(port), "+retry=0", "+timeout=3"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes());
  }

  @Test
  void runsFromAYamlFileAnswersDns64ServesHealthAndMetricsAndStopsOnSigterm() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kdig")), "kdig (knot-dnsutils) is not installed");
    assumeTrue(Files.exists(root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    int dns = freePort();
    int admin = freePort();
    Path config = dir.resolve("tinyisp.yaml");
    // the upstream is a closed port: ipv4only.arpa (RFC 8880) is answered locally and needs none
    Files.writeString(config, """
        data-dir: %s
        admin:
          listen: ["127.0.0.1:%d"]
        dns64:
          listen: ["127.0.0.1:%d"]
          upstreams: ["127.0.0.1:9"]
          prefixes:
            - prefix: 64:ff9b::/96
              mapped: "!10/8; any;"
              break-dnssec: true
        """.formatted(dir.resolve("data"), admin, dns));
    start(config);

    assertThat(kdig(dns, "ipv4only.arpa", "AAAA", "+short")).contains("64:ff9b::c000:aa").contains("64:ff9b::c000:ab");
    assertThat(kdig(dns, "+tcp", "ipv4only.arpa", "AAAA", "+short")).contains("64:ff9b::c000:aa");

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("dns64").contains("admin");
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("tinyisp_dns_queries_total{").contains("transport=\"udp\"").contains("transport=\"tcp\"");

    // SIGTERM through the handle: Process.destroy() would also close our end of its output pipe
    assertThat(process.toHandle().destroy()).isTrue();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    reader.join(5_000); // the last lines are still in the pipe when the process has ended
    synchronized (log) {
      assertThat(log).anyMatch(l -> l.contains("stopped service=dns64"));
    }
  }

  @Test
  void encryptedDnsFromTheYamlFileAnswersDns64OverDotAndDoh() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kdig")), "kdig (knot-dnsutils) is not installed");
    assumeTrue(Files.exists(root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    int dns = freePort();
    int dot = freePort();
    int doh = freePort();
    int admin = freePort();
    Path config = dir.resolve("tinyisp.yaml");
    // no certificate configured: the distribution makes a self-signed one under the data directory
    Files.writeString(config, """
        data-dir: %s
        admin:
          listen: ["127.0.0.1:%d"]
        dns64:
          listen: ["127.0.0.1:%d"]
          upstreams: ["127.0.0.1:9"]
        encrypted-dns:
          dot: ["127.0.0.1:%d"]
          doh: ["127.0.0.1:%d"]
          data-dir: %s
        """.formatted(dir.resolve("data"), admin, dns, dot, doh, dir.resolve("data")));
    start(config);
    List<String> tls = List.of("-p", String.valueOf(dot), "+tls", "ipv4only.arpa", "AAAA", "+short");
    assertThat(kdigAt(tls)).contains("64:ff9b::c000:aa");
    assertThat(kdigAt(List.of("-p", String.valueOf(doh), "+https", "ipv4only.arpa", "AAAA", "+short"))).contains("64:ff9b::c000:ab");
    synchronized (log) {
      assertThat(log).anyMatch(l -> l.contains("self-signed"));
    }
  }

  private static String kdigAt(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kdig", "@127.0.0.1", "+retry=0", "+timeout=5"));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes());
  }

  @Test
  void aBadConfigFailsAtStartWithFileLineAndExit78() throws Exception {
    assumeTrue(Files.exists(root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "dns64:\n  listen: [\"127.0.0.1:5353\"]\n  prefixes:\n    - prefix: 64:ff9b::/95\n");
    Process p = new ProcessBuilder(root().resolve("bin/tinyisp").toString(), "run", "--config", config.toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).isEqualTo(78);
    assertThat(out).contains(config + ":4:").contains("prefix");
  }
}
