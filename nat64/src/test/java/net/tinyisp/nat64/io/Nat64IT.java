package net.tinyisp.nat64.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.nat64.Nat64Service;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.config.Pool4Entry;
import net.tinyisp.nat64.config.PortRange;
import net.tinyisp.nat64.steps.DropReason;
import net.tinyisp.net.netns.NetNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway (two TUN queues) between real Linux hosts in namespaces this test creates:
 *
 * <pre>
 *  [h6] 2001:db8:1::10 --- 2001:db8:1::1 [gw: tinyisp nat64 on TUN, pool4 203.0.113.5, pool6 2001:db8:64::/96]
 *       198.51.100.1 --- 198.51.100.2 [rt] 198.51.100.17 --(MTU 1280)-- 198.51.100.20 [h4]
 * </pre>
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Nat64IT {
  static final String H4 = "198.51.100.20";
  static final String H4_AS_V6 = "2001:db8:64::c633:6414";
  static final String RT_AS_V6 = "2001:db8:64::c633:6402";
  static final String POOL4 = "203.0.113.5";
  static final String TAG = "n64it" + (ProcessHandle.current().pid() % 10000);

  static NetNamespace h6;
  static NetNamespace gw;
  static NetNamespace rt;
  static NetNamespace h4;
  static Nat64Service service;
  static Process http;
  static final List<Thread> servers = new ArrayList<>();
  static volatile boolean stop;

  @TempDir static Path dir;

  @BeforeAll
  static void topology() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")) && Files.exists(Path.of("/dev/net/tun")),
        "needs root and /dev/net/tun to build network namespaces (CI runs as root)");
    h6 = NetNamespace.create(TAG + "-h6");
    gw = NetNamespace.create(TAG + "-gw");
    rt = NetNamespace.create(TAG + "-rt");
    h4 = NetNamespace.create(TAG + "-h4");
    link(h6, "eth0", gw, "h6");
    link(gw, "rt", rt, "gw");
    link(rt, "h4", h4, "eth0");
    h6.ip().address("eth0", "2001:db8:1::10/64").ip("-6", "route", "add", "default", "via", "2001:db8:1::1");
    gw.ip().address("h6", "2001:db8:1::1/64").address("rt", "198.51.100.1/30")
        .ip("route", "add", "default", "via", "198.51.100.2");
    rt.ip().address("gw", "198.51.100.2/30").address("h4", "198.51.100.17/28")
        .ip("route", "add", POOL4 + "/32", "via", "198.51.100.1").ip("link", "set", "h4", "mtu", "1280");
    h4.ip().address("eth0", H4 + "/28").ip("route", "add", "default", "via", "198.51.100.17")
        .ip("link", "set", "eth0", "mtu", "1280");
    sysctl(rt, "net/ipv4/ip_forward");
    // ports 61000-65535, but only three ICMP identifiers so that exhaustion is quick to show
    Nat64Config cfg = new Nat64Config("2001:db8:64::/96",
        List.of(new Pool4Entry(POOL4, null, null, new PortRange(61000, 61002))), null, null, null, null, null,
        "nat64", true, 2, true, null, null); // two queues: flows spread over two worker threads sharing the tables
    service = new Nat64Service(cfg, new Metrics());
    gw.call(() -> {
      service.start();
      return null;
    });
    // the IPv4 host serves HTTP (download) and a TCP sink that answers with the sha256 of what it got (upload)
    Path www = Files.createDirectories(dir.resolve("www"));
    byte[] blob = new byte[4 << 20];
    new Random(64).nextBytes(blob);
    Files.write(www.resolve("blob"), blob);
    http = new ProcessBuilder("ip", "netns", "exec", h4.name(), "python3", "-m", "http.server", "8080", "--bind", H4,
        "--directory", www.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("http.log").toFile())
        .start();
    servers.add(h4.start("h4-sink", () -> serve(9000, Nat64IT::sha256Sink)));
    servers.add(h4.start("h4-echo", () -> serve(9001, Nat64IT::echo)));
    servers.add(h4.start("h4-udp", Nat64IT::udpEcho));
    waitForPort(8080);
  }

  static void link(NetNamespace a, String aName, NetNamespace b, String bName) throws IOException {
    a.ip().ip("link", "add", aName, "type", "veth", "peer", "name", bName, "netns", b.name());
    a.ip().ip("link", "set", aName, "up");
    b.ip().ip("link", "set", bName, "up");
  }

  static void sysctl(NetNamespace ns, String key) throws Exception {
    ns.call(() -> {
      Files.writeString(Path.of("/proc/sys/" + key), "1");
      return null;
    });
  }

  @AfterAll
  static void teardown() throws IOException {
    stop = true;
    if (http != null) http.destroyForcibly();
    if (service != null) service.close();
    for (NetNamespace ns : new NetNamespace[] {h6, gw, rt, h4}) {
      if (ns != null) ns.close();
    }
  }

  // ------------------------------------------------------------------------------------------------ the tests

  @Test
  @Order(1)
  void pingCrossesTheGateway() throws Exception {
    Run r = run(h6, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", H4_AS_V6);
    assertThat(r.exit).as(r.out).isZero();
    assertThat(r.out).contains("3 received");
  }

  @Test
  @Order(2)
  void httpDownloadMatchesItsSha256() throws Exception {
    Run r = run(h6, "sh", "-c", "curl -sS --max-time 30 http://[" + H4_AS_V6 + "]:8080/blob | sha256sum");
    assertThat(r.exit).as(r.out).isZero();
    assertThat(r.out).startsWith(sha256(Files.readAllBytes(dir.resolve("www/blob"))));
  }

  @Test
  @Order(3)
  void uploadArrivesIntact() throws Exception {
    // (the IPv4 host's 1280-byte link gives it MSS 1240, so TCP itself never needs Packet Too Big here)
    byte[] data = new byte[3 << 20];
    new Random(46).nextBytes(data);
    String answer = h6.call(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByName(H4_AS_V6), 9000), 5000);
        s.setSoTimeout(30_000);
        s.getOutputStream().write(data);
        s.shutdownOutput();
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      }
    });
    assertThat(answer).isEqualTo(sha256(data));
  }

  @Test
  @Order(4)
  void udpOfManySizesIncludingFragmentsIsEchoed() throws Exception {
    int[] sizes = {1, 100, 512, 1200, 1232, 1400, 1452, 2000, 4000, 9000, 30000, 65000};
    List<Integer> echoed = h6.call(() -> {
      List<Integer> ok = new ArrayList<>();
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("::"))) {
        s.setSoTimeout(1500);
        Random rnd = new Random(7);
        byte[] in = new byte[65535];
        for (int size : sizes) {
          byte[] msg = new byte[size];
          rnd.nextBytes(msg);
          for (int attempt = 0; attempt < 3; attempt++) { // the first large one may only teach the path MTU
            s.send(new DatagramPacket(msg, size, new InetSocketAddress(InetAddress.getByName(H4_AS_V6), 9002)));
            try {
              DatagramPacket p = new DatagramPacket(in, in.length);
              s.receive(p);
              if (p.getLength() == size && java.util.Arrays.equals(msg, 0, size, in, 0, size)) {
                ok.add(size);
                break;
              }
            } catch (SocketTimeoutException e) {
              // retry
            }
          }
        }
      }
      return ok;
    });
    assertThat(echoed).containsExactly(java.util.Arrays.stream(sizes).boxed().toArray(Integer[]::new));
    // 1400 bytes of UDP leave the gateway as 1380 bytes of IPv4 with DF set (RFC 7915 §5.1: above 1260); the 1280
    // byte link made the router send Fragmentation Needed, which reached h6 as Packet Too Big with MTU + 20
    Run route = run(h6, "ip", "-6", "route", "get", H4_AS_V6);
    assertThat(route.out).contains("mtu 1300");
  }

  @Test
  @Order(5)
  void icmpPortUnreachableReachesTheSocketAsConnectionRefused() throws Exception {
    assertThatThrownBy(() -> h6.call(() -> {
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("::"))) {
        s.connect(new InetSocketAddress(InetAddress.getByName(H4_AS_V6), 9999));
        s.setSoTimeout(3000);
        byte[] in = new byte[100];
        for (int i = 0; i < 3; i++) {
          s.send(new DatagramPacket(new byte[10], 10));
          try {
            s.receive(new DatagramPacket(in, in.length));
          } catch (SocketTimeoutException e) {
            // retry
          }
        }
        return null;
      }
    })).isInstanceOf(PortUnreachableException.class); // ECONNREFUSED on a connected UDP socket
  }

  @Test
  @Order(6)
  void traceroute6ShowsTranslatedHopsAndReachesTheDestination() throws Exception {
    Run r = run(h6, "traceroute6", "-n", "-q", "1", "-w", "2", "-m", "8", H4_AS_V6);
    assertThat(r.exit).as(r.out).isZero();
    assertThat(r.out).contains("2001:db8:1::1").contains(RT_AS_V6);
    String last = r.out.strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(last).contains(H4_AS_V6);
  }

  @Test
  @Order(7)
  void unsolicitedInboundNeverReachesTheIpv6Host() throws Exception {
    double before = service.counters().dropped(DropReason.NO_BIB);
    assertThatThrownBy(() -> h4.call(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getByName(POOL4), 22), 1500);
      }
      return null;
    })).isInstanceOf(SocketTimeoutException.class);
    assertThat(service.counters().dropped(DropReason.NO_BIB)).isGreaterThan(before);
  }

  @Test
  @Order(8)
  void manyConcurrentFlows() throws Exception {
    int flows = 200;
    int done = h6.call(() -> {
      List<Socket> socks = new ArrayList<>();
      try {
        for (int i = 0; i < flows; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress(InetAddress.getByName(H4_AS_V6), 9001), 5000);
          s.setSoTimeout(10_000);
          socks.add(s);
        }
        for (int i = 0; i < flows; i++) {
          socks.get(i).getOutputStream().write(("flow " + i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        int ok = 0;
        for (int i = 0; i < flows; i++) {
          byte[] want = ("flow " + i + "\n").getBytes(StandardCharsets.US_ASCII);
          byte[] got = socks.get(i).getInputStream().readNBytes(want.length);
          if (java.util.Arrays.equals(want, got)) ok++;
        }
        return ok;
      } finally {
        for (Socket s : socks) s.close();
      }
    });
    assertThat(done).isEqualTo(flows);
    assertThat(service.view().bib("tcp")).hasSizeGreaterThanOrEqualTo(flows);
    assertThat(service.view().pool4()).anySatisfy(u -> assertThat(u.inUse()).isGreaterThanOrEqualTo(flows));
  }

  @Test
  @Order(9)
  void poolExhaustionIsAnsweredAndCounted() throws Exception {
    // three ICMP identifiers in pool4; each ping process uses its own identifier for 60 s
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      all.append(run(h6, "ping", "-6", "-c", "1", "-W", "1", H4_AS_V6).out);
    }
    assertThat(all.toString()).containsIgnoringCase("Administratively prohibited");
    assertThat(service.counters().dropped(DropReason.POOL4_EXHAUSTED)).isPositive();
  }

  @Test
  @Order(10)
  void smallUdpFloodIsCoalescedIntactAndInOrder() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/iperf3")), "needs iperf3 (apt-get install iperf3)");
    double before = service.counters().coalescedDatagrams();
    for (String direction : new String[] {"", "-R"}) {
      Run sent = iperf3Udp64(direction);
      assertThat(sent.exit).as(sent.out).isZero();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"out_of_order\":\\s*(\\d+)").matcher(sent.out);
      int streams = 0;
      while (m.find()) {
        streams++;
        assertThat(Integer.parseInt(m.group(1))).as("datagrams out of order, %s", direction).isZero();
      }
      assertThat(streams).as(sent.out).isPositive();
      assertThat(sent.out).containsPattern("\"packets\":\\s*[1-9]");
    }
    // the receivers' kernels verified every datagram's UDP checksum, including the ones the kernel cut from our
    // super-packets (__udp_gso_segment)
    for (NetNamespace ns : new NetNamespace[] {h4, h6}) {
      Run snmp = run(ns, "cat", "/proc/net/snmp", "/proc/net/snmp6");
      assertThat(snmp.out).containsPattern("Udp6InCsumErrors\\s+0\\b");
      assertThat(snmp.out.lines().filter(l -> l.startsWith("Udp: ")).toList().get(1).split(" ")[7])
          .as("InCsumErrors in %s", snmp.out).isEqualTo("0");
    }
    assertThat(service.counters().coalescedDatagrams() - before).isPositive();
    assertThat(service.counters().superPackets()).isPositive();
  }

  /** One second of 64-byte UDP from h6 to h4 (or back, with -R), two streams, as fast as iperf3 sends. */
  static Run iperf3Udp64(String direction) throws Exception {
    Process server = new ProcessBuilder("ip", "netns", "exec", h4.name(), "iperf3", "-s", "-1", "-B", H4, "-p",
        "5299").redirectErrorStream(true).redirectOutput(dir.resolve("iperf3-server.log").toFile()).start();
    try {
      Thread.sleep(500);
      List<String> c = new ArrayList<>(List.of("iperf3", "-c", H4_AS_V6, "-p", "5299", "-u", "-l", "64", "-b", "0",
          "-t", "1", "-P", "2", "-J"));
      if (!direction.isEmpty()) c.add(direction);
      return run(h6, c.toArray(String[]::new));
    } finally {
      if (!server.waitFor(5, TimeUnit.SECONDS)) server.destroyForcibly();
    }
  }

  // ---------------------------------------------------------------------------------------------- peers

  record Run(int exit, String out) {}

  static Run run(NetNamespace ns, String... cmd) throws Exception {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    c.addAll(List.of(cmd));
    Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + c);
    }
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  interface Handler {
    void handle(Socket s) throws Exception;
  }

  static void serve(int port, Handler h) {
    try (ServerSocket ss = new ServerSocket()) {
      ss.bind(new InetSocketAddress(InetAddress.getByName(H4), port), 512);
      ss.setSoTimeout(500);
      while (!stop) {
        try {
          Socket s = ss.accept();
          Thread.ofVirtual().start(() -> {
            try (s) {
              h.handle(s);
            } catch (Exception e) {
              // the peer went away
            }
          });
        } catch (SocketTimeoutException e) {
          // check stop
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void sha256Sink(Socket s) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    InputStream in = s.getInputStream();
    byte[] buf = new byte[65536];
    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    s.getOutputStream().write(HexFormat.of().formatHex(md.digest()).getBytes(StandardCharsets.US_ASCII));
  }

  static void echo(Socket s) throws Exception {
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
  }

  static void udpEcho() {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(H4), 9002))) {
      s.setSoTimeout(500);
      byte[] buf = new byte[65535];
      while (!stop) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
          s.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
        } catch (SocketTimeoutException e) {
          // check stop
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void waitForPort(int port) throws Exception {
    for (int i = 0; i < 100; i++) {
      boolean up = h4.call(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(InetAddress.getByName(H4), port), 200);
          return true;
        } catch (IOException e) {
          return false;
        }
      });
      if (up) return;
      Thread.sleep(100);
    }
    throw new AssertionError("http.server did not start: " + Files.readString(dir.resolve("http.log")));
  }
}
