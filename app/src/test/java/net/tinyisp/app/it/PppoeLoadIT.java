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
 * authenticated by tinyisp's RADIUS server: all of them up at once, all accounted, then hung up.
 */
class PppoeLoadIT {
  static NamespaceLab lab;
  static Path dir;

  @BeforeAll
  static void lab() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespace, AF_PACKET, TUN)");
    assumeTrue(Files.exists(NamespaceLab.root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    dir = Files.createTempDirectory("pppoe-load");
    StringBuilder users = new StringBuilder();
    for (int i = 0; i < 1000; i++) users.append("user").append(i).append("\tCleartext-Password := \"pass").append(i).append("\"\n");
    Files.writeString(dir.resolve("users"), users);
    lab = new NamespaceLab("tinyisp-pppoe-load");
    lab.ip("link", "add", "veth-ac", "type", "veth", "peer", "name", "veth-cl");
    lab.ip("link", "set", "veth-ac", "up");
    lab.ip("link", "set", "veth-cl", "up");
    lab.tinyisp("ready", "radius", "--auth", "127.0.0.1:1812", "--acct", "127.0.0.1:1813", "--client", "127.0.0.1=testing123",
        "--users", dir.resolve("users").toString(), "--accounting-file", dir.resolve("acct.jsonl").toString());
    lab.tinyisp("RunCommand: ready", "pppoe", "--interface", "veth-ac", "--radius", "127.0.0.1:1812", "--radius-secret",
        "testing123", "--prefix-pool", "2001:db8:1000::/36", "--pd-length", "48", "--admin", "127.0.0.1:9153",
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
