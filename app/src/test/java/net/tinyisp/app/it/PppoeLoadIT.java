package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1000 subscribers from the load client ({@code tinyisp pppoe-client}) dial the access concentrator over a veth pair,
 * authenticated by tinyisp's RADIUS server: all of them up at once, all accounted, then hung up. Then 10,000 at once
 * (the default max-sessions), held while the sessions gauge says 10,000. Setup rates and heap per session are a
 * benchmark, not asserted here: bench/pppoe-setup/run.sh.
 */
class PppoeLoadIT {
  static NamespaceLab lab;
  static Path dir;

  @BeforeAll
  static void lab() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespace, AF_PACKET, TUN)");
    assumeTrue(Files.exists(NamespaceLab.root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    dir = Files.createTempDirectory("pppoe-load");
    Files.writeString(dir.resolve("users"), NamespaceLab.users(10_000, i -> ""));
    lab = new NamespaceLab("tinyisp-pppoe-load");
    lab.ip("link", "add", "veth-ac", "type", "veth", "peer", "name", "veth-cl");
    lab.ip("link", "set", "veth-ac", "up");
    lab.ip("link", "set", "veth-cl", "up");
    lab.tinyisp("ready", "radius", "--auth", "127.0.0.1:1812", "--acct", "127.0.0.1:1813", "--client", "127.0.0.1=testing123",
        "--users", dir.resolve("users").toString(), "--accounting-file", dir.resolve("acct.jsonl").toString());
    lab.tinyisp("RunCommand: ready", "pppoe", "--interface", "veth-ac", "--radius", "127.0.0.1:1812", "--radius-secret",
        "testing123", "--prefix-pool", "2001:db8::/32", "--pd-length", "48", "--admin", "127.0.0.1:9153",
        "--coa-listen", "off");
  }

  @AfterAll
  static void teardown() throws Exception {
    if (lab != null) lab.close();
  }

  @Test
  void thousandSubscribersComeUpTogetherAndAreAccounted() throws Exception {
    String out = lab.cli("pppoe-client", "--interface", "veth-cl", "--sessions", "1000", "--rate", "1000",
        "--password", "pass%d", "--hold", "2", "--timeout", "90");
    assertThat(out).contains("1000 sessions up").contains("up=1000 failed=0");
    // every session had its accounting Start, and the hang-up its Stop
    long[] counted = awaitAccounting(before, 1000);
    assertThat(counted[0]).isEqualTo(1000);
    assertThat(counted[1]).isEqualTo(1000);
  }

  @Test
  void tenThousandSubscribersAtOnce() throws Exception {
    Process client = lab.background(dir.resolve("client-10k.log"), NamespaceLab.root().resolve("bin/tinyisp").toString(),
        "pppoe-client", "--interface", "veth-cl", "--sessions", "10000", "--rate", "1000", "--password", "pass%d",
        "--hold", "3", "--timeout", "100");
    for (int i = 0; i < 1100 && !Files.readString(dir.resolve("client-10k.log")).contains("10000 sessions up"); i++) {
      if (!client.isAlive()) break;
      Thread.sleep(100);
    }
    // the access concentrator's own count while they are held
    Process p = new ProcessBuilder("ip", "netns", "exec", lab.name, "curl", "-sf", "http://127.0.0.1:9153/metrics").start();
    String metrics = new String(p.getInputStream().readAllBytes());
    assertThat(client.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("client-10k.log"));
    assertThat(out).contains("up=10000 failed=0");
    assertThat(metrics).containsPattern("(?m)^tinyisp_pppoe_sessions 10000(\\.0)?$");
    long[] counted = awaitAccounting(before, 10_000);
    assertThat(counted[1]).isEqualTo(10_000);
  }

  private long[] before;

  @org.junit.jupiter.api.BeforeEach
  void countBefore() throws Exception {
    before = accounting();
  }

  /** Accounting Starts and Stops in the RADIUS server's file so far. */
  static long[] accounting() throws Exception {
    if (!Files.exists(dir.resolve("acct.jsonl"))) return new long[2];
    List<String> lines = Files.readAllLines(dir.resolve("acct.jsonl"));
    return new long[] {lines.stream().filter(l -> l.contains("\"status\":\"Start\"")).count(),
        lines.stream().filter(l -> l.contains("\"status\":\"Stop\"")).count()};
  }

  /** Starts and Stops since {@code before}, once {@code stops} Stops have arrived (or 30 s passed). */
  static long[] awaitAccounting(long[] before, long stops) throws Exception {
    long[] now = accounting();
    for (int i = 0; i < 150 && now[1] - before[1] < stops; i++) {
      Thread.sleep(200);
      now = accounting();
    }
    return new long[] {now[0] - before[0], now[1] - before[1]};
  }
}
