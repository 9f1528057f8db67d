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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real subscriber router: Debian's pppd with the rp-pppoe plugin in the lab VM (qemu, TCG; this kernel has no PPP)
 * dials tinyisp's access concentrator, which authenticates it against tinyisp's RADIUS server. Both tinyisp processes
 * run from the distribution in a network namespace; the VM's TAP joins the namespace's bridge.
 */
class PppoeVmIT {
  static final String NS = "tinyisp-pppoe-it";
  static final Path LAB = root().resolve("lab/pppoe-client-vm");
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

  static Process tinyisp(String ready, String... args) throws Exception {
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
        // process ended
      }
      up.completeExceptionally(new IllegalStateException("tinyisp " + args[0] + " exited: " + lines));
    });
    up.get(90, TimeUnit.SECONDS);
    return p;
  }

  @BeforeAll
  static void lab() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespace, TAP, AF_PACKET)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 is not installed");
    assumeTrue(Files.exists(LAB.resolve("vm/vmlinux")) && Files.exists(LAB.resolve("vm/initrd.img")),
        "the client VM is not built: run lab/pppoe-client-vm/build-vm.sh (.ci/setup.d/pppoe.sh does)");
    assumeTrue(Files.exists(root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    dir = Files.createTempDirectory("pppoe-it");
    Files.writeString(dir.resolve("users"), """
        alice	Cleartext-Password := "secret"
        	RP-Upstream-Speed-Limit = 5120,
        	RP-Downstream-Speed-Limit = 10240,
        	Acct-Interim-Interval = 300
        """);
    new ProcessBuilder("ip", "netns", "del", NS).start().waitFor();
    sh("ip", "netns", "add", NS);
    sh("ip", "-n", NS, "link", "set", "lo", "up");
    sh("ip", "-n", NS, "link", "add", "br0", "type", "bridge");
    // a fixed address: a bridge otherwise takes the lowest port MAC, which changes when the VM's TAP joins
    sh("ip", "-n", NS, "link", "set", "br0", "address", "02:00:00:00:00:01", "up");
    sh("ip", "-n", NS, "addr", "add", "2001:db8::53/128", "dev", "lo");
    sh("ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    tinyisp("ready", "radius", "--auth", "127.0.0.1:1812", "--acct", "127.0.0.1:1813", "--client", "127.0.0.1=testing123",
        "--users", dir.resolve("users").toString(), "--accounting-file", dir.resolve("acct.jsonl").toString());
    tinyisp("RunCommand: ready", "pppoe", "--interface", "br0", "--ac-name", "tinyisp-it", "--radius", "127.0.0.1:1812",
        "--radius-secret", "testing123", "--prefix-pool", "2001:db8:100::/40", "--pd-length", "48",
        "--dns", "2001:db8::53", "--pref64", "64:ff9b::/96", "--admin", "127.0.0.1:9153");
  }

  @AfterAll
  static void teardown() throws Exception {
    for (Process p : processes) {
      p.toHandle().destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }
    new ProcessBuilder("ip", "netns", "del", NS).start().waitFor();
  }

  record Run(int exit, String log, Map<String, String> result) {}

  static Run client(String tap, String user, String pass, String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LAB.resolve("client-vm.sh").toString(), tap, user, pass));
    cmd.addAll(List.of(options));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(Map.of("NETNS", NS, "BRIDGE", "br0", "TIMEOUT", "150"));
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(200, TimeUnit.SECONDS)).isTrue();
    Map<String, String> result = new java.util.HashMap<>();
    Matcher m = Pattern.compile("^RESULT (.*)$", Pattern.MULTILINE).matcher(log.replaceAll("(?m)^\\[ *[0-9.]+\\] ", ""));
    if (m.find()) {
      for (String kv : m.group(1).split(" ")) {
        int eq = kv.indexOf('=');
        if (eq > 0) result.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return new Run(p.exitValue(), log, result);
  }

  @Test
  void chapSubscriberGetsIpv6OnlyServiceAndIsAccounted() throws Exception {
    Run r = client("cpe1", "alice", "secret", "need=ipv6", "slaac=1", "dhcp6=dhcp6c", "pdlen=48", "ping6=2001:db8::53");
    assertThat(r.result()).as(r.log()).containsEntry("verdict", "pass");
    assertThat(r.log()).contains("rcvd [CHAP Success");
    assertThat(r.result()).containsEntry("ipv4", "rejected").containsEntry("ipv6", "up")
        .containsEntry("ra_rdnss", "2001:db8::53").containsEntry("ra_pref64", "64:ff9b::/96").containsEntry("ping6", "ok");
    assertThat(r.result().get("slaac")).startsWith("2001:db8:100:");
    assertThat(r.result().get("pd")).matches("2001:db8:1[0-9a-f]{2}::/48");
    // the Stop follows the subscriber's LCP Terminate (and at most one restart period, RFC 1661 §4.4 ZRC)
    String acct = "";
    for (int i = 0; i < 100 && !acct.contains("\"status\":\"Stop\""); i++) {
      Thread.sleep(200);
      acct = Files.readString(dir.resolve("acct.jsonl"));
    }
    assertThat(acct).contains("\"status\":\"Start\"").contains("\"status\":\"Stop\"").contains("\"alice\"")
        .contains(r.result().get("pd"));
  }

  @Test
  void papSubscriberAuthenticates() throws Exception {
    Run r = client("cpe2", "alice", "secret", "need=ipv6", "pppopts=refuse-chap");
    assertThat(r.result()).as(r.log()).containsEntry("verdict", "pass");
    assertThat(r.log()).contains("PAP authentication succeeded");
  }

  @Test
  void wrongPasswordIsRefusedWithTheMessage() throws Exception {
    Run r = client("cpe3", "alice", "wrong", "need=ipv6", "uptimeout=20");
    assertThat(r.exit()).as(r.log()).isEqualTo(3);
    assertThat(r.log()).contains("rcvd [CHAP Failure");
  }
}
