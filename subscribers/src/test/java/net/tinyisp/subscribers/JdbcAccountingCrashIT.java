package net.tinyisp.subscribers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.tinyisp.radius.client.RadiusClient;
import net.tinyisp.radius.client.RadiusClientConfig;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.subscribers.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of the JDBC sink: {@code tinyisp radius --data-dir DIR} (SQLite store) runs in a child JVM and is killed
 * with SIGKILL during an accounting burst from 32 concurrent senders. Every request that got an
 * Accounting-Response must be in the store when the server is back on the same database.
 */
class JdbcAccountingCrashIT {
  private static final String SECRET = "crash-secret";
  private static final AttributeCodec CODEC = new AttributeCodec(Dictionary.standard());

  private static final List<String> CHILD_LOG = new java.util.concurrent.CopyOnWriteArrayList<>();

  @TempDir Path dir;

  private Process startChild(int authPort, int acctPort) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "net.tinyisp.subscribers.cli.RadiusStoreCommand",
        "--auth", "127.0.0.1:" + authPort, "--acct", "127.0.0.1:" + acctPort, "--client", "127.0.0.1=" + SECRET,
        "--data-dir", dir.resolve("data").toString()).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      seen.add(line);
      if (line.contains("tinyisp radius: ready")) {
        Thread.ofVirtual().start(() -> out.lines().forEach(CHILD_LOG::add)); // keep draining
        return p;
      }
    }
    p.destroyForcibly();
    throw new AssertionError("child server did not start:\n" + String.join("\n", seen));
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
      return s.getLocalPort();
    }
  }

  @Test
  void everyAnsweredRequestIsInTheStoreAfterKillDashNine() throws Exception {
    int authPort = freePort();
    int acctPort = freePort();
    Process child = startChild(authPort, acctPort);
    Set<String> answered = ConcurrentHashMap.newKeySet();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger unanswered = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
    try {
      RadiusClientConfig cfg = RadiusClientConfig.of(List.of(RadiusClientConfig.Server.of("127.0.0.1:" + acctPort,
          1813, SECRET))).withTimeouts(Duration.ofMillis(2000), Duration.ofMillis(4000), 2);
      try (RadiusClient client = new RadiusClient(cfg);
          ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int w = 0; w < 32; w++) {
          int worker = w;
          pool.submit(() -> {
            for (int i = 0; i < 300 && !killed.get(); i++) {
              String id = "crash-" + worker + "-" + i;
              sent.incrementAndGet();
              try {
                RadiusClient.Response r = client.send(new RadiusClient.Request(Code.ACCOUNTING_REQUEST, List.of(
                    CODEC.encode("Acct-Status-Type", i == 0 ? "Start" : "Interim-Update"),
                    CODEC.encode("Acct-Session-Id", id), CODEC.encode("User-Name", "user" + worker),
                    CODEC.encode("Acct-Input-Octets", Integer.toString(i * 1000)))));
                if (r.code() == Code.ACCOUNTING_RESPONSE) answered.add(id);
              } catch (java.io.IOException e) {
                unanswered.incrementAndGet(); // a timeout (or the server is gone): the NAS would retransmit
              }
            }
            return null;
          });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answered.size() < 300 && System.nanoTime() < deadline) Thread.sleep(5);
        killed.set(true);
        child.destroyForcibly(); // SIGKILL mid-burst
        child.waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(answered.size()).as("answered %d, unanswered %d; child said:%n%s", answered.size(),
          unanswered.get(), String.join("\n", CHILD_LOG)).isGreaterThanOrEqualTo(300);
      assertThat(sent.get()).as("the kill really interrupted the burst").isGreaterThan(answered.size());

      child = startChild(authPort, acctPort); // back up on the same database (WAL recovery)
      Set<String> stored = new HashSet<>();
      try (Database db = Database.open(Database.defaultUrl(dir.resolve("data")), 2);
          Connection c = db.connection(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT session_id FROM acct_records")) {
        while (r.next()) stored.add(r.getString(1));
      }
      List<String> lost = new ArrayList<>(answered);
      lost.removeAll(stored);
      assertThat(lost).as("answered but not stored").isEmpty();
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
