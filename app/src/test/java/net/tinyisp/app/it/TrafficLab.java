package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Three namespaces for real traffic through load-client sessions: {@code <prefix>-sub} runs {@code tinyisp
 * pppoe-client --tun} (one TUN per session), {@code <prefix>-ac} runs tinyisp's RADIUS server and the access
 * concentrator on a veth toward {@code sub}, and kernel forwarding from the AC's TUN to a veth toward
 * {@code <prefix>-core} ({@value #CORE_ADDR}), which runs iperf3 servers on ports 5201.. . iperf3 clients in
 * {@code sub} bind a session's SLAAC address ({@code -B}), so each flow crosses exactly one PPPoE session.
 */
final class TrafficLab implements AutoCloseable {
  static final String CORE_ADDR = "2001:db8:ff::2";
  /** TCP payload per IPv6 byte of a full segment on the 1492-byte PPPoE MTU: 1420 / (1420 + 40 + 20 + 12). */
  static final double PAYLOAD = 1420.0 / 1492.0;
  static final ObjectMapper JSON = new ObjectMapper();
  final NamespaceLab sub;
  final NamespaceLab ac;
  final NamespaceLab core;
  final Path dir;
  Process client;

  /** Namespaces, links, iperf3 servers and the RADIUS server with {@code users} (FreeRADIUS users-file text). */
  TrafficLab(String prefix, String users, int iperfServers) throws Exception {
    dir = Files.createTempDirectory(prefix);
    Files.writeString(dir.resolve("users"), users);
    sub = new NamespaceLab(prefix + "-sub");
    ac = new NamespaceLab(prefix + "-ac");
    core = new NamespaceLab(prefix + "-core");
    ac.ip("link", "add", "ac-sub", "type", "veth", "peer", "name", "sub-ac", "netns", sub.name);
    ac.ip("link", "add", "ac-core", "type", "veth", "peer", "name", "core-ac", "netns", core.name);
    ac.ip("link", "set", "ac-sub", "address", "02:00:00:00:ac:01", "up");
    sub.ip("link", "set", "sub-ac", "up");
    ac.ip("addr", "add", "2001:db8:ff::1/64", "dev", "ac-core", "nodad");
    ac.ip("link", "set", "ac-core", "up");
    core.ip("addr", "add", CORE_ADDR + "/64", "dev", "core-ac", "nodad");
    core.ip("link", "set", "core-ac", "up");
    core.ip("-6", "route", "add", "default", "via", "2001:db8:ff::1");
    NamespaceLab.sh("ip", "netns", "exec", ac.name, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    for (int port = 5201; port < 5201 + iperfServers; port++) {
      core.background(dir.resolve("iperf3-" + port + ".log"), "iperf3", "-s", "-B", CORE_ADDR, "-p", Integer.toString(port));
    }
    ac.tinyisp("ready", "radius", "--auth", "127.0.0.1:1812", "--acct", "127.0.0.1:1813", "--client", "127.0.0.1=testing123",
        "--users", dir.resolve("users").toString(), "--accounting-file", dir.resolve("acct.jsonl").toString());
  }

  /** {@code sessions} load-client sessions (user0.., password pass0..) with TUNs tun0..; waits for their addresses. */
  void dial(int sessions) throws Exception {
    client = sub.background(dir.resolve("client.log"), NamespaceLab.root().resolve("bin/tinyisp").toString(), "pppoe-client",
        "--interface", "sub-ac", "--sessions", Integer.toString(sessions), "--rate", "50", "--password", "pass%d",
        "--tun", "tun", "--hold", "600");
    for (int i = 0; i < 600 && addresses() < sessions; i++) {
      assertThat(client.isAlive()).as(clientLog()).isTrue();
      Thread.sleep(100);
    }
    assertThat(addresses()).as(clientLog()).isEqualTo(sessions);
  }

  String clientLog() throws Exception {
    return Files.exists(dir.resolve("client.log")) ? Files.readString(dir.resolve("client.log")) : "";
  }

  long addresses() throws Exception {
    return clientLog().lines().filter(l -> l.contains(" address=")).count();
  }

  /** The SLAAC address the load client gave session {@code index} (its TUN is tun{@code index}). */
  String address(int index) throws Exception {
    Matcher m = Pattern.compile(" tun=tun" + index + " .* address=(\\S+) ").matcher(clientLog());
    assertThat(m.find()).as(clientLog()).isTrue();
    return m.group(1);
  }

  /** Starts iperf3 through session {@code index} ({@code download}: {@code -R}, the core sends); 1 s omitted. */
  Process startIperf(int index, int port, boolean download, int seconds) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", sub.name, "iperf3", "-c", CORE_ADDR, "-p",
        Integer.toString(port), "-B", address(index), "-t", Integer.toString(seconds), "-O", "1", "--json"));
    if (download) cmd.add("-R");
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  static JsonNode result(Process p, int seconds) throws Exception {
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(seconds + 30L, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return JSON.readTree(out);
  }

  JsonNode iperf(int index, int port, boolean download, int seconds) throws Exception {
    return result(startIperf(index, port, download, seconds), seconds);
  }

  static double receivedBps(JsonNode run) {
    return run.path("end").path("sum_received").path("bits_per_second").asDouble();
  }

  @Override
  public void close() throws Exception {
    for (NamespaceLab l : new NamespaceLab[] {sub, ac, core}) {
      if (l != null) l.close();
    }
  }
}
