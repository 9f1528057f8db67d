package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
  static final Path LAB = NamespaceLab.root().resolve("lab/pppoe-client-vm");
  static NamespaceLab lab;
  static Path dir;

  static Path root() {
    return NamespaceLab.root();
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
        bob	Cleartext-Password := "builder"
        carol	Cleartext-Password := "lost"
        erin	Cleartext-Password := "coa"
        	RP-Upstream-Speed-Limit = 2048,
        	RP-Downstream-Speed-Limit = 4096
        frank	Cleartext-Password := "dual"
        	Framed-IP-Address = 198.51.100.77
        dave	Cleartext-Password := "slow"
        	RP-Upstream-Speed-Limit = 1024,
        	RP-Downstream-Speed-Limit = 2048
        """);
    lab = new NamespaceLab(NS);
    lab.ip("link", "add", "br0", "type", "bridge");
    // a fixed address: a bridge otherwise takes the lowest port MAC, which changes when the VM's TAP joins
    lab.ip("link", "set", "br0", "address", "02:00:00:00:00:01", "up");
    lab.ip("addr", "add", "2001:db8::53/128", "dev", "lo");
    NamespaceLab.sh("ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    lab.tinyisp("ready", "radius", "--auth", "127.0.0.1:1812", "--acct", "127.0.0.1:1813", "--client", "127.0.0.1=testing123",
        "--users", dir.resolve("users").toString(), "--accounting-file", dir.resolve("acct.jsonl").toString());
    lab.background(dir.resolve("iperf3.log"), "iperf3", "-s", "-B", "2001:db8::53");
    lab.tinyisp("RunCommand: ready", "pppoe", "--interface", "br0", "--ac-name", "tinyisp-it", "--radius", "127.0.0.1:1812",
        "--lcp-echo-interval", "2", "--lcp-echo-failure", "3",
        "--radius-secret", "testing123", "--prefix-pool", "2001:db8:100::/40", "--pd-length", "48",
        "--dns", "2001:db8::53", "--pref64", "64:ff9b::/96", "--admin", "127.0.0.1:9153");
  }

  @AfterAll
  static void teardown() throws Exception {
    if (lab != null) lab.close();
  }

  record Run(int exit, String log, Map<String, String> result) {}

  static Run client(String tap, String user, String pass, String... options) throws Exception {
    return clientOn("br0", tap, user, pass, options);
  }

  static Run clientOn(String bridge, String tap, String user, String pass, String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LAB.resolve("client-vm.sh").toString(), tap, user, pass));
    cmd.addAll(List.of(options));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(Map.of("NETNS", NS, "BRIDGE", bridge, "TIMEOUT", "150"));
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
    Run r = client("cpe1", "alice", "secret", "need=ipv6", "slaac=1", "dhcp6=dhcp6c", "pdlen=48", "ping6=2001:db8::53",
        "iperf=2001:db8::53", "iperf_time=3");
    assertThat(r.result()).as(r.log()).containsEntry("verdict", "pass");
    assertThat(r.log()).contains("rcvd [CHAP Success");
    assertThat(r.result()).containsEntry("ipv4", "rejected").containsEntry("ipv6", "up")
        .containsEntry("ra_rdnss", "2001:db8::53").containsEntry("ra_pref64", "64:ff9b::/96").containsEntry("ping6", "ok");
    assertThat(r.result().get("slaac")).startsWith("2001:db8:100:");
    assertThat(r.result().get("pd")).matches("2001:db8:1[0-9a-f]{2}::/48");
    // iperf3 over the session, both directions (figures are emulated-VM figures, not line rates)
    assertThat(r.result().get("iperf_up_kbps")).matches("[0-9.]+");
    assertThat(r.result().get("iperf_down_kbps")).matches("[0-9.]+");
    // the Stop follows the subscriber's LCP Terminate (and at most one restart period, RFC 1661 §4.4 ZRC)
    String acct = "";
    for (int i = 0; i < 100 && !acct.contains("\"status\":\"Stop\""); i++) {
      Thread.sleep(200);
      acct = Files.readString(dir.resolve("acct.jsonl"));
    }
    assertThat(acct).contains("\"status\":\"Start\"").contains("\"status\":\"Stop\"").contains("\"alice\"")
        .contains(r.result().get("pd"));
  }

  /** Waits until {@code user} shows in {@code tinyisp pppoe sessions} (the CLI, through the admin API). */
  static String waitForSession(String user) throws Exception {
    for (int i = 0; i < 120; i++) {
      String table = lab.cli("pppoe", "sessions", "--admin", "127.0.0.1:9153");
      if (table.lines().anyMatch(l -> l.contains(" " + user + " "))) return table;
      Thread.sleep(1000);
    }
    throw new AssertionError(user + " never came up");
  }

  static String waitForStop(String user) throws Exception {
    for (int i = 0; i < 150; i++) {
      for (String line : Files.readAllLines(dir.resolve("acct.jsonl"))) {
        if (line.contains("\"status\":\"Stop\"") && line.contains("[\"" + user + "\"]")) return line;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no accounting Stop for " + user);
  }

  @Test
  void adminTerminateEndsTheSessionWithPadtAndAdminResetAccounting() throws Exception {
    CompletableFuture<Run> vm = CompletableFuture.supplyAsync(() -> {
      try {
        return client("cpe4", "bob", "builder", "need=ipv6", "hold=45");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String table = waitForSession("bob");
    assertThat(table).contains("sid").contains("bob").contains("2001:db8:100:");
    assertThat(lab.cli("pppoe", "terminate", "--user", "bob", "--admin", "127.0.0.1:9153")).contains("\"terminated\" : 1");
    Run r = vm.get(200, TimeUnit.SECONDS);
    assertThat(r.log()).containsAnyOf("LCP terminated by peer", "PADT");
    assertThat(waitForStop("bob")).contains("Admin-Reset");
  }

  @Test
  void aKilledSubscriberIsFoundDeadByLcpEchoAndAccountedAsLostCarrier() throws Exception {
    CompletableFuture<Run> vm = CompletableFuture.supplyAsync(() -> {
      try {
        return client("cpe5", "carol", "lost", "need=ipv6", "hold=90");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    waitForSession("carol");
    new ProcessBuilder("pkill", "-KILL", "-f", "ifname=cpe5").start().waitFor(); // the router loses power
    assertThat(waitForStop("carol")).contains("Lost-Carrier");
    vm.get(60, TimeUnit.SECONDS);
  }

  @Test
  void twoSubscribersAtOnceGetDifferentPrefixes() throws Exception {
    CompletableFuture<Run> first = CompletableFuture.supplyAsync(() -> {
      try {
        return client("cpe6", "alice", "secret", "need=ipv6", "slaac=1", "ping6=2001:db8::53");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Run second = client("cpe7", "bob", "builder", "need=ipv6", "slaac=1", "ping6=2001:db8::53");
    Run one = first.get(200, TimeUnit.SECONDS);
    assertThat(one.result()).as(one.log()).containsEntry("verdict", "pass");
    assertThat(second.result()).as(second.log()).containsEntry("verdict", "pass");
    assertThat(one.result().get("slaac")).isNotNull();
    assertThat(second.result().get("slaac")).isNotNull();
    // each session has its own /64 on the link
    String a = one.result().get("ra_prefix");
    String b = second.result().get("ra_prefix");
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void theRadiusPlansRatesShapeTheDownloadAndPoliceTheUpload() throws Exception {
    // dave's plan: RP-Downstream-Speed-Limit 2048 kbit/s, RP-Upstream-Speed-Limit 1024 kbit/s (Roaring Penguin units)
    Run r = client("cpe8", "dave", "slow", "need=ipv6", "slaac=1", "iperf=2001:db8::53", "iperf_time=6");
    assertThat(r.result()).as(r.log()).containsEntry("verdict", "pass");
    double down = Double.parseDouble(r.result().get("iperf_down_kbps"));
    double up = Double.parseDouble(r.result().get("iperf_up_kbps"));
    // receiver-side averages over 6 s including TCP slow start; the unshaped VM link carries 15-40 Mbit/s here
    assertThat(down).as("download kbit/s").isBetween(1400.0, 2150.0);
    // a policer drops what exceeds the rate and TCP backs off, so the upload lands below the rate, never above it
    assertThat(up).as("upload kbit/s").isBetween(300.0, 1080.0);
  }

  static String radclient(String port, String command, String attributes) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", NS, "radclient", "-x", "-r", "1", "-t", "3",
        "127.0.0.1:" + port, command, "testing123").redirectErrorStream(true).start();
    p.getOutputStream().write(attributes.getBytes());
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  static String tinyispCli(String... args) throws Exception {
    return lab.cli(args);
  }

  @Test
  void coaChangesRatesLiveCountersResetWithoutDropAndDisconnectEndsTheSession() throws Exception {
    CompletableFuture<Run> vm = CompletableFuture.supplyAsync(() -> {
      try {
        return client("cpe9", "erin", "coa", "need=ipv6", "slaac=1", "ping6=2001:db8::53", "hold=60");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(waitForSession("erin")).containsPattern("erin .*4096/2048k");
    // RFC 5176 CoA-Request with new Roaring Penguin limits (Message-Authenticator required)
    String ack = radclient("3799", "coa",
        "User-Name = erin, RP-Downstream-Speed-Limit = 1024, RP-Upstream-Speed-Limit = 512, Message-Authenticator = 0x00");
    assertThat(ack).contains("Received CoA-ACK");
    assertThat(tinyispCli("pppoe", "sessions", "--admin", "127.0.0.1:9153")).containsPattern("erin .*1024/512k");
    assertThat(radclient("3799", "coa", "User-Name = nobody, RP-Downstream-Speed-Limit = 1, Message-Authenticator = 0x00"))
        .contains("Received CoA-NAK").contains("Session-Context-Not-Found");
    // by hand, as an operator would
    assertThat(tinyispCli("pppoe", "set-rate", "--user", "erin", "--down", "3M", "--up", "1M", "--admin", "127.0.0.1:9153"))
        .contains("\"changed\" : 1");
    assertThat(tinyispCli("pppoe", "sessions", "--admin", "127.0.0.1:9153")).containsPattern("erin .*3000/1000k");
    // counters reset without drop: Stop for the period, Start of the next, same Acct-Multi-Session-Id
    assertThat(tinyispCli("pppoe", "reset-counters", "--user", "erin", "--admin", "127.0.0.1:9153")).contains("\"reset\" : 1");
    String firstStop = waitForStop("erin");
    assertThat(firstStop).doesNotContain("Acct-Terminate-Cause");
    assertThat(tinyispCli("pppoe", "sessions", "--admin", "127.0.0.1:9153")).contains("erin"); // still up
    String disc = radclient("3799", "disconnect", "User-Name = erin, Message-Authenticator = 0x00");
    assertThat(disc).contains("Received Disconnect-ACK");
    Run r = vm.get(200, TimeUnit.SECONDS);
    assertThat(r.log()).containsAnyOf("LCP terminated by peer", "PADT");
    List<String> erin = new ArrayList<>();
    for (int i = 0; i < 100 && erin.stream().noneMatch(l -> l.contains("Admin-Reset")); i++) {
      Thread.sleep(200);
      erin = Files.readAllLines(dir.resolve("acct.jsonl")).stream().filter(l -> l.contains("[\"erin\"]")).toList();
    }
    // Start, Stop (period 0), Start (period 1, new Acct-Session-Id), Stop (Admin-Reset); one Acct-Multi-Session-Id
    assertThat(erin).hasSize(4);
    assertThat(erin.get(0)).contains("\"status\":\"Start\"");
    assertThat(erin.get(2)).contains("\"status\":\"Start\"").containsPattern("Acct-Session-Id\":\\[\"[0-9a-f]+-1\"");
    assertThat(erin.get(3)).contains("Admin-Reset");
    String multi = erin.get(0).replaceAll(".*Acct-Multi-Session-Id\":\\[\"([^\"]+)\".*", "$1");
    assertThat(erin).allMatch(l -> l.contains("\"Acct-Multi-Session-Id\":[\"" + multi + "\"]"));
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

  /**
   * Dual-stack as an option: a second access concentrator on its own bridge with {@code --ipcp}. Debian's pppd
   * negotiates IPCP and IPv6CP; it gets RADIUS's Framed-IP-Address (not the pool's next address), pings an IPv4
   * host behind tinyisp through the TUN, and the accounting Stop carries the address.
   */
  @Test
  void dualStackSubscriberGetsIpv4ByIpcpWhenEnabled() throws Exception {
    lab.ip("link", "add", "br1", "type", "bridge");
    lab.ip("link", "set", "br1", "address", "02:00:00:00:00:02", "up");
    lab.ip("addr", "add", "203.0.113.53/32", "dev", "lo");
    lab.tinyisp("RunCommand: ready", "pppoe", "--interface", "br1", "--ac-name", "tinyisp-ds", "--tun", "pppoe1",
        "--radius", "127.0.0.1:1812", "--radius-secret", "testing123", "--prefix-pool", "2001:db8:200::/40",
        "--admin", "127.0.0.1:9154", "--coa-listen", "off", "--ipcp", "--ipv4-pool", "198.51.100.0/24",
        "--ipv4-dns", "203.0.113.53");
    Run r = clientOn("br1", "cpe7", "frank", "dual", "need=ipv4", "ipv6=1", "ping=203.0.113.53");
    assertThat(r.result()).as(r.log()).containsEntry("verdict", "pass");
    assertThat(r.result()).containsEntry("ipv4", "up").containsEntry("local", "198.51.100.77")
        .containsEntry("remote", "198.51.100.1").containsEntry("ipv6", "up").containsEntry("ping", "ok");
    String stop = waitForStop("frank");
    assertThat(stop).contains("\"Framed-IP-Address\":[\"198.51.100.77\"]");
  }
}
