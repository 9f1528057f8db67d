package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real traffic through load-client sessions ({@code tinyisp pppoe-client --tun}): namespace {@code sub} runs the
 * load client with one TUN per session, {@code ac} runs tinyisp's access concentrator and RADIUS server (users file
 * with Roaring Penguin speed limits), {@code core} sits behind the AC's TUN (kernel forwarding over a veth) and runs
 * iperf3 servers. iperf3 runs in {@code sub} bound to a session's SLAAC address ({@code -B}), so each flow crosses
 * exactly one PPPoE session.
 *
 * <p>Units: the shaper and the accounting count IPv6 packet bytes; iperf3 reports TCP payload. A full segment on a
 * 1492-byte PPPoE MTU is 1492 IPv6 bytes carrying 1420 payload bytes (40 IPv6 + 20 TCP + 12 timestamp option), so
 * a shaped rate R shows in iperf3 as {@code R * 1420 / 1492}.
 */
class PppoeTrafficIT {
  static final double PAYLOAD = TrafficLab.PAYLOAD;
  // user0..user4 from the load client; kbit/s as RADIUS sends them
  static final long[] DOWN_KBPS = {1000, 10000, 100000, 5000, 20000};
  static final long[] UP_KBPS = {1000, 10000, 100000, 5000, 20000};
  static TrafficLab lab;
  static NamespaceLab ac;

  @BeforeAll
  static void lab() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespaces, AF_PACKET, TUN)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/iperf3")), "iperf3 is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/radclient")), "radclient (freeradius-utils) is not installed");
    assumeTrue(Files.exists(NamespaceLab.root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    String users = NamespaceLab.users(DOWN_KBPS.length,
        i -> "\tRP-Upstream-Speed-Limit = " + UP_KBPS[i] + ",\n\tRP-Downstream-Speed-Limit = " + DOWN_KBPS[i] + "\n");
    lab = new TrafficLab("tinyisp-traffic", users, 5);
    ac = lab.ac;
    ac.tinyisp("RunCommand: ready", "pppoe", "--interface", "ac-sub", "--radius", "127.0.0.1:1812", "--radius-secret",
        "testing123", "--prefix-pool", "2001:db8:1000::/36", "--pd-length", "48", "--admin", "127.0.0.1:9153");
    lab.dial(DOWN_KBPS.length);
  }

  @AfterAll
  static void teardown() throws Exception {
    if (lab != null) lab.close();
  }

  static String clientLog() throws Exception {
    return lab.clientLog();
  }

  static JsonNode iperf(int index, int port, boolean download, int seconds) throws Exception {
    return lab.iperf(index, port, download, seconds);
  }

  static double receivedBps(JsonNode run) {
    return TrafficLab.receivedBps(run);
  }

  static String radclient(String command, String attributes) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", ac.name, "radclient", "-x", "-r", "1", "-t", "3",
        "127.0.0.1:3799", command, "testing123").redirectErrorStream(true).start();
    p.getOutputStream().write(attributes.getBytes());
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  @Test
  void downloadsAreShapedAtOneTenAndHundredMbitWithinFivePercent() throws Exception {
    double[] measured = new double[3];
    iperf(2, 5201, true, 2); // warms the JIT of both JVMs' data paths at 100 Mbit/s, not measured
    for (int i = 2; i >= 0; i--) {
      double expected = DOWN_KBPS[i] * 1000 * PAYLOAD;
      measured[i] = receivedBps(iperf(i, 5201, true, 4));
      if (Math.abs(measured[i] / expected - 1) > 0.05) {
        // one more run when a busy machine (CI shares its cores) starved a data-path thread; both are printed
        System.out.printf("PppoeTrafficIT: download plan %d kbit/s: first run %.0f bit/s, once more%n", DOWN_KBPS[i], measured[i]);
        measured[i] = receivedBps(iperf(i, 5201, true, 4));
      }
    }
    for (int i = 0; i < 3; i++) {
      double expected = DOWN_KBPS[i] * 1000 * PAYLOAD;
      System.out.printf("PppoeTrafficIT: download plan %d kbit/s: iperf3 %.0f bit/s = %.3f of the rate in IPv6 bytes%n",
          DOWN_KBPS[i], measured[i], measured[i] / expected);
      assertThat(measured[i]).as("download of user%d (%d kbit/s)", i, DOWN_KBPS[i]).isCloseTo(expected, within(0.05 * expected));
    }
  }

  @Test
  void theLoadClientGetsItsDelegatedPrefixAndRoutesItThroughTheSession() throws Exception {
    Matcher m = null;
    for (int i = 0; i < 50; i++) {
      m = Pattern.compile(" pd index=0 user=user0 .* prefix=(\\S+) pd_address=(\\S+)").matcher(clientLog());
      if (m.find()) break;
      m = null;
      Thread.sleep(100);
    }
    assertThat(m).as(clientLog()).isNotNull();
    String prefix = m.group(1);
    // the /48 RADIUS accounting recorded for user0 is the one the client got by DHCPv6-PD
    assertThat(Files.readAllLines(lab.dir.resolve("acct.jsonl"))).anyMatch(l -> l.contains("\"user0\"")
        && l.contains("\"Delegated-IPv6-Prefix\":[\"" + prefix + "\"]"));
    Process ping = new ProcessBuilder("ip", "netns", "exec", lab.sub.name, "ping", "-6", "-c", "2", "-W", "2", "-I", m.group(2),
        TrafficLab.CORE_ADDR).redirectErrorStream(true).start();
    String out = new String(ping.getInputStream().readAllBytes());
    assertThat(ping.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(ping.exitValue()).as(out).isZero();
  }

  @Test
  void uploadIsPolicedAtThePlanRate() throws Exception {
    // a policer has no queue: TCP loses what exceeds and backs off, so the upload lands at or a little below the rate
    double up = receivedBps(iperf(1, 5202, false, 4));
    double expected = UP_KBPS[1] * 1000 * PAYLOAD;
    System.out.printf("PppoeTrafficIT: upload plan %d kbit/s: iperf3 %.0f bit/s = %.3f of the rate in IPv6 bytes%n",
        UP_KBPS[1], up, up / expected);
    assertThat(up).isBetween(0.75 * expected, 1.05 * expected);
  }

  @Test
  void aCoaRequestChangesTheRateOfARunningDownload() throws Exception {
    // user3 starts at 5 Mbit/s; about 4.5 s into a 9 s download (1 s omitted) a CoA-Request raises it to 20 Mbit/s
    CompletableFuture<String> coa = CompletableFuture.supplyAsync(() -> {
      try {
        Thread.sleep(5000);
        return radclient("coa", "User-Name = user3, RP-Downstream-Speed-Limit = 20000, Message-Authenticator = 0x00");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonNode run = iperf(3, 5203, true, 9);
    assertThat(coa.get(30, TimeUnit.SECONDS)).contains("Received CoA-ACK");
    // the CoA named only the download: the upload keeps its plan rate (5000 kbit/s), it is not lifted
    assertThat(ac.cli("pppoe", "sessions", "--admin", "127.0.0.1:9153")).containsPattern("user3 .*20000/5000k");
    List<Double> mbps = new ArrayList<>();
    for (JsonNode interval : run.path("intervals")) {
      if (!interval.path("sum").path("omitted").asBoolean()) mbps.add(interval.path("sum").path("bits_per_second").asDouble() / 1e6);
    }
    System.out.println("PppoeTrafficIT: CoA 5 -> 20 Mbit/s, iperf3 intervals (Mbit/s): " + mbps);
    // the first two reported intervals (seconds 1-3) before the CoA, the last three after it
    double before = (mbps.get(0) + mbps.get(1)) / 2;
    double after = (mbps.get(mbps.size() - 3) + mbps.get(mbps.size() - 2) + mbps.get(mbps.size() - 1)) / 3;
    assertThat(before).isCloseTo(5 * PAYLOAD, within(0.08 * 5));
    assertThat(after).isCloseTo(20 * PAYLOAD, within(0.08 * 20));
  }

  @Test
  void countersResetWhileTrafficRunsAddUpAndDisconnectRequestEndsTheSession() throws Exception {
    // user4 (20 Mbit/s both ways): traffic both ways, a counters reset in the middle, then an RFC 5176 Disconnect
    CompletableFuture<String> reset = CompletableFuture.supplyAsync(() -> {
      try {
        Thread.sleep(2500);
        return ac.cli("pppoe", "reset-counters", "--user", "user4", "--admin", "127.0.0.1:9153");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    iperf(4, 5204, true, 5);
    assertThat(reset.get(30, TimeUnit.SECONDS)).contains("\"reset\" : 1");
    iperf(4, 5205, false, 2);
    Thread.sleep(500); // the last ACKs and FINs are through
    assertThat(radclient("disconnect", "User-Name = user4, Message-Authenticator = 0x00")).contains("Received Disconnect-ACK");
    // the client saw the AC end the session (PADT) and printed the session's counters then
    String end = null;
    for (int i = 0; i < 100 && end == null; i++) {
      end = clientLog().lines().filter(l -> l.contains("session-end index=4 ")).findFirst().orElse(null);
      if (end == null) Thread.sleep(100);
    }
    assertThat(end).as(clientLog()).isNotNull().containsAnyOf("reason=PADT", "reason=LCP finished");
    List<JsonNode> records = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      records.clear();
      for (String line : Files.readAllLines(lab.dir.resolve("acct.jsonl"))) {
        JsonNode r = TrafficLab.JSON.readTree(line);
        if (r.path("attributes").path("User-Name").path(0).asText().equals("user4")) records.add(r);
      }
      if (records.stream().anyMatch(r -> r.toString().contains("Admin-Reset"))) break;
      Thread.sleep(100);
    }
    // Start, Stop (period 0, no terminate cause), Start (period 1), Stop (Admin-Reset)
    assertThat(records).hasSize(4);
    assertThat(records.get(1).toString()).contains("\"Stop\"").doesNotContain("Acct-Terminate-Cause");
    assertThat(records.get(3).path("attributes").path("Acct-Terminate-Cause").path(0).asText()).isEqualTo("Admin-Reset");
    long in = 0;
    long out = 0;
    for (JsonNode r : records) {
      if (!r.path("status").asText().equals("Stop")) continue;
      JsonNode a = r.path("attributes");
      in += (a.path("Acct-Input-Gigawords").path(0).asLong() << 32) + a.path("Acct-Input-Octets").path(0).asLong();
      out += (a.path("Acct-Output-Gigawords").path(0).asLong() << 32) + a.path("Acct-Output-Octets").path(0).asLong();
    }
    long sent = counter(end, "up_bytes");
    long received = counter(end, "down_bytes");
    System.out.printf("PppoeTrafficIT: user4 accounted in=%d out=%d, client sent=%d received=%d (IPv6 bytes)%n", in, out, sent, received);
    assertThat(received).isGreaterThan(5_000_000); // the download really ran
    assertThat(out).as("Acct-Output-Octets over both periods = IPv6 bytes the client received").isEqualTo(received);
    assertThat(in).as("Acct-Input-Octets over both periods = IPv6 bytes the client sent").isEqualTo(sent);
  }

  static long counter(String line, String name) {
    Matcher m = Pattern.compile(" " + name + "=(\\d+)").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Long.parseLong(m.group(1));
  }
}
