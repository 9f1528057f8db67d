package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The AF_XDP front end of DNS64 (xdp-interface) with real peers: tinyisp in a server namespace with an XDP program on
 * its end of a veth pair, nsd behind it on the namespace's loopback, and kdig in a client namespace on the other end,
 * like subscribers behind a NIC. The queries take the XDP path (tinyisp_dns_xdp_frames_total counts them), TCP and
 * everything else still reach the kernel, and stopping tinyisp removes the program.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Dns64XdpIT {
  static final long PID = ProcessHandle.current().pid();
  static final String SERVER_IF = "xds" + PID % 100000;
  static final String CLIENT_IF = "xdc" + PID % 100000;
  static NamespaceLab server;
  static NamespaceLab client;
  static Path dir;
  static Process tinyisp;

  static final String ZONE = """
      $TTL 3600
      @ IN SOA ns hostmaster 1 3600 600 86400 300
      @ IN NS ns
      ns IN A 198.51.100.1
      a IN A 198.51.100.10
      d IN A 198.51.100.11
      d IN AAAA 2001:db8::11
      ten IN A 10.1.2.3
      """;

  @BeforeAll
  static void lab() throws Exception {
    assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root (namespaces, XDP)");
    dir = Files.createTempDirectory("tinyisp-xdp-it");
    server = new NamespaceLab("tixdp-s" + PID);
    client = new NamespaceLab("tixdp-c" + PID);
    NamespaceLab.sh("ip", "link", "add", SERVER_IF, "netns", server.name, "type", "veth", "peer", "name", CLIENT_IF,
        "netns", client.name);
    server.ip("addr", "add", "198.18.0.2/24", "dev", SERVER_IF);
    server.ip("addr", "add", "fd00:18::2/64", "dev", SERVER_IF, "nodad");
    client.ip("addr", "add", "198.18.0.1/24", "dev", CLIENT_IF);
    client.ip("addr", "add", "198.18.0.9/24", "dev", CLIENT_IF);
    client.ip("addr", "add", "fd00:18::1/64", "dev", CLIENT_IF, "nodad");
    server.ip("link", "set", SERVER_IF, "up");
    client.ip("link", "set", CLIENT_IF, "up");

    StringBuilder zone = new StringBuilder(ZONE);
    for (int i = 1; i <= 120; i++) zone.append("big IN A 198.51.100.").append(i).append('\n'); // > 1232 as AAAA
    Files.writeString(dir.resolve("lab.test.zone"), zone);
    Files.writeString(dir.resolve("nsd.conf"), """
        server:
            ip-address: 127.0.0.1@5300
            do-ip6: no
            username: ""
            chroot: ""
            zonesdir: "%1$s"
            database: ""
            zonelistfile: "%1$s/zone.list"
            xfrdfile: "%1$s/xfrd.state"
            pidfile: "%1$s/nsd.pid"
            logfile: "%1$s/nsd.log"
            server-count: 1
            rrl-ratelimit: 0
        remote-control:
            control-enable: no
        zone:
            name: "lab.test"
            zonefile: "lab.test.zone"
        """.formatted(dir));
    server.background(dir.resolve("nsd.out"), "nsd", "-d", "-c", dir.resolve("nsd.conf").toString());
    Files.writeString(dir.resolve("tinyisp.yaml"), """
        admin:
          listen: ["127.0.0.1:9053"]
        dns64:
          listen: ["198.18.0.2:53", "[fd00:18::2]:53"]
          upstreams: ["127.0.0.1:5300"]
          allow-query: "!198.18.0.9; 198.18.0.0/24; fd00:18::/64;"
          prefixes:
            - prefix: 64:ff9b::/96
              mapped: "!10/8; any;"
          xdp-interface: %s
        """.formatted(SERVER_IF));
    for (int i = 0; i < 50 && !kdigServer("@127.0.0.1", "-p", "5300", "lab.test", "SOA").contains("NOERROR"); i++) {
      Thread.sleep(100);
    }
    tinyisp = server.tinyisp("RunCommand: ready", "run", "--config", dir.resolve("tinyisp.yaml").toString());
  }

  @AfterAll
  static void teardown() throws Exception {
    if (client != null) client.close();
    if (server != null) server.close();
  }

  static String run(NamespaceLab ns, String... cmd) throws Exception {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns.name));
    full.addAll(List.of(cmd));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  static String kdig(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kdig", "+retry=0", "+timeout=3"));
    cmd.addAll(List.of(args));
    return run(client, cmd.toArray(String[]::new));
  }

  static String kdigServer(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kdig", "+retry=0", "+timeout=1"));
    cmd.addAll(List.of(args));
    return run(server, cmd.toArray(String[]::new));
  }

  static double metric(String name) throws Exception {
    String text = run(server, "curl", "-sf", "http://127.0.0.1:9053/metrics");
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(text);
    assertThat(m.find()).as(name + " in\n" + text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  @Order(1)
  void theProgramIsOnTheInterface() throws Exception {
    assertThat(run(server, "ip", "link", "show", SERVER_IF)).contains("prog/xdp").contains("tinyisp_dns");
  }

  @Test
  @Order(2)
  void answersDns64OverIpv4AndIpv6ThroughAfXdp() throws Exception {
    double before = metric("tinyisp_dns_xdp_frames_total");
    // the first query is a cache miss (answered when nsd replies), the second a hit (answered in the loop)
    for (int i = 0; i < 2; i++) {
      assertThat(kdig("@198.18.0.2", "+short", "a.lab.test", "AAAA")).isEqualTo("64:ff9b::c633:640a\n");
      assertThat(kdig("@fd00:18::2", "+short", "a.lab.test", "AAAA")).isEqualTo("64:ff9b::c633:640a\n");
    }
    assertThat(kdig("@198.18.0.2", "+short", "d.lab.test", "AAAA")).as("native AAAA kept").isEqualTo("2001:db8::11\n");
    assertThat(kdig("@fd00:18::2", "+short", "d.lab.test", "A")).isEqualTo("198.51.100.11\n");
    assertThat(kdig("@198.18.0.2", "nx.lab.test", "AAAA")).contains("status: NXDOMAIN");
    String ten = kdig("@198.18.0.2", "ten.lab.test", "AAAA");
    assertThat(ten).as("mapped !10/8: NODATA").contains("status: NOERROR").contains("ANSWER: 0");
    assertThat(kdig("@198.18.0.2", "-x", "64:ff9b::c633:640a")).contains("10.100.51.198.in-addr.arpa");
    assertThat(metric("tinyisp_dns_xdp_frames_total") - before).as("all of them came through AF_XDP")
        .isGreaterThanOrEqualTo(9);
  }

  @Test
  @Order(3)
  void aClientOutsideAllowQueryIsRefused() throws Exception {
    assertThat(kdig("@198.18.0.2", "-b", "198.18.0.9", "a.lab.test", "AAAA")).contains("status: REFUSED");
  }

  @Test
  @Order(4)
  void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
    String udp = kdig("@198.18.0.2", "+ignore", "+bufsize=1232", "big.lab.test", "AAAA");
    assertThat(udp).contains("status: NOERROR").contains(" tc");
    String tcp = kdig("@198.18.0.2", "+tcp", "+short", "big.lab.test", "AAAA");
    assertThat(tcp.lines().filter(l -> l.startsWith("64:ff9b::")).count()).as("TCP went to the kernel listener")
        .isEqualTo(120);
  }

  @Test
  @Order(5)
  void aFrameWhoseHeadersDoNotAddUpIsACountedDrop() throws Exception {
    double before = metric("tinyisp_dns_drops_total{reason=\"xdp_malformed\"}");
    String serverMac = run(server, "cat", "/sys/class/net/" + SERVER_IF + "/address").strip();
    // IPv4/UDP to 198.18.0.2:53 whose UDP length (0x0fff) runs past the IP packet: the XDP program steers it by
    // address and port, tinyisp's frame check refuses it
    String py = """
        import socket, struct
        def csum(b):
            s = sum(struct.unpack('!10H', b))
            s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
            return ~s & 0xffff
        dns = bytes(17)
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + 8 + len(dns), 1, 0, 64, 17, 0,
                         socket.inet_aton('198.18.0.1'), socket.inet_aton('198.18.0.2'))
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        udp = struct.pack('!HHHH', 40000, 53, 0x0fff, 0)
        dst = bytes.fromhex('%s'.replace(':', ''))
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind(('%s', 0))
        src = s.getsockname()[4]
        s.send(dst + src + b'\\x08\\x00' + ip + udp + dns)
        """.formatted(serverMac, CLIENT_IF);
    Files.writeString(dir.resolve("frame.py"), py);
    assertThat(run(client, "python3", dir.resolve("frame.py").toString())).isEmpty();
    for (int i = 0; i < 50 && metric("tinyisp_dns_drops_total{reason=\"xdp_malformed\"}") == before; i++) {
      Thread.sleep(100);
    }
    assertThat(metric("tinyisp_dns_drops_total{reason=\"xdp_malformed\"}")).isEqualTo(before + 1);
    assertThat(kdig("@198.18.0.2", "+short", "a.lab.test", "AAAA")).as("still serving").isEqualTo("64:ff9b::c633:640a\n");
  }

  @Test
  @Order(6)
  void anUnknownOrLoopbackInterfaceIsAClearErrorAtStart() throws Exception {
    String out = server.cli("dns64", "--listen", "198.18.0.2:5353", "--upstream", "127.0.0.1:5300", "--admin", "off",
        "--xdp-interface", "nope0");
    assertThat(out).contains("no interface named 'nope0'");
    String lo = server.cli("dns64", "--listen", "127.0.0.1:5353", "--upstream", "127.0.0.1:5300", "--admin", "off",
        "--xdp-interface", "lo", "--xdp-mode", "generic");
    assertThat(lo).contains("lo is a loopback interface");
    assertThat(run(server, "ip", "link", "show", "lo")).doesNotContain("prog/xdp");
  }

  @Test
  @Order(7)
  void stoppingTinyispRemovesTheProgram() throws Exception {
    tinyisp.toHandle().destroy();
    assertThat(tinyisp.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String link = "";
    for (int i = 0; i < 50; i++) {
      link = run(server, "ip", "link", "show", SERVER_IF);
      if (!link.contains("prog/xdp")) break;
      Thread.sleep(100);
    }
    assertThat(link).doesNotContain("prog/xdp");
  }
}
