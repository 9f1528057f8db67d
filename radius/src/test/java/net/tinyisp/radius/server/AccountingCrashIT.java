package net.tinyisp.radius.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.tinyisp.radius.client.RadiusClient;
import net.tinyisp.radius.client.RadiusClientConfig;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.wire.Code;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability: the server runs in a child JVM ({@code tinyisp radius}); during an accounting burst it is killed
 * with SIGKILL. Every request that got an Accounting-Response must be in the file when the server is back.
 */
class AccountingCrashIT {
  private static final String SECRET = "crash-secret";
  private static final AttributeCodec CODEC = new AttributeCodec(Dictionary.standard());

  @TempDir Path dir;

  private Process startChild(int authPort, int acctPort, Path file) throws Exception {
    Path users = dir.resolve("users");
    java.nio.file.Files.writeString(users, "u Cleartext-Password := \"p\"\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "net.tinyisp.radius.cli.RadiusCommand", "--auth", "127.0.0.1:" + authPort, "--acct", "127.0.0.1:" + acctPort,
        "--client", "127.0.0.1=" + SECRET, "--users", users.toString(), "--accounting-file", file.toString())
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      if (line.contains("tinyisp radius: ready")) {
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep draining
        return p;
      }
    }
    p.destroyForcibly();
    throw new AssertionError("child server did not start");
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
      return s.getLocalPort();
    }
  }

  @Test
  void everyAnsweredRequestSurvivesKillDashNine() throws Exception {
    Path file = dir.resolve("acct.jsonl");
    int authPort = freePort();
    int acctPort = freePort();
    Process child = startChild(authPort, acctPort, file);
    Set<String> answered = ConcurrentHashMap.newKeySet();
    AtomicInteger sent = new AtomicInteger();
    try {
      RadiusClientConfig cfg = RadiusClientConfig.of(List.of(RadiusClientConfig.Server.of("127.0.0.1:" + acctPort,
          1813, SECRET))).withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500), 1);
      try (RadiusClient client = new RadiusClient(cfg);
          ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int w = 0; w < 64; w++) {
          int worker = w;
          pool.submit(() -> {
            for (int i = 0; i < 400; i++) {
              String id = "crash-" + worker + "-" + i;
              sent.incrementAndGet();
              try {
                RadiusClient.Response r = client.send(new RadiusClient.Request(Code.ACCOUNTING_REQUEST, List.of(
                    CODEC.encode("Acct-Status-Type", "Interim-Update"), CODEC.encode("Acct-Session-Id", id),
                    CODEC.encode("User-Name", "u"), CODEC.encode("Acct-Input-Octets", Integer.toString(i)))));
                if (r.code() == Code.ACCOUNTING_RESPONSE) answered.add(id);
              } catch (Exception e) {
                return null; // the server is gone
              }
            }
            return null;
          });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answered.size() < 2000 && System.nanoTime() < deadline) Thread.sleep(5);
        child.destroyForcibly(); // SIGKILL mid-burst
        child.waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(answered.size()).isGreaterThanOrEqualTo(2000);
      assertThat(sent.get()).isGreaterThan(answered.size()); // the kill really interrupted the burst

      child = startChild(authPort, acctPort, file); // back up on the same file
      Set<String> stored = AppendOnlyFileSink.read(file).stream().map(r -> r.first("Acct-Session-Id"))
          .collect(Collectors.toSet());
      List<String> lost = new ArrayList<>(answered);
      lost.removeAll(stored);
      assertThat(lost).as("answered but not stored").isEmpty();
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
