package net.tinyisp.dns.encrypted;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Real third-party servers for the encrypted-DNS tests: nsd serving the dns64.test zone, dnsdist with a DoH
 * frontend. Each runs in the foreground as a child of the test JVM and is killed on close, also on failure.
 */
public final class PeerProcesses implements AutoCloseable {
  public final Path dir;
  public final int port;
  private final Process process;

  private PeerProcesses(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** nsd on 127.0.0.1 (UDP and TCP) serving {@code dns64.test}. */
  public static PeerProcesses nsd(Path dir) throws Exception {
    Peer.require("nsd");
    Files.createDirectories(dir);
    try (InputStream in = PeerProcesses.class.getResourceAsStream("/zones/dns64.test.zone")) {
      Files.write(dir.resolve("dns64.test.zone"), in.readAllBytes());
    }
    int port = freePort();
    Files.writeString(dir.resolve("nsd.conf"), """
        server:
            ip-address: 127.0.0.1@%d
            do-ip6: no
            username: ""
            chroot: ""
            zonesdir: "%s"
            database: ""
            zonelistfile: "%s/zone.list"
            xfrdfile: "%s/xfrd.state"
            xfrdir: "%s"
            pidfile: "%s/nsd.pid"
            logfile: "%s/nsd.log"
            server-count: 1
            verbosity: 1
        remote-control:
            control-enable: no
        zone:
            name: "dns64.test"
            zonefile: "dns64.test.zone"
        """.formatted(port, dir, dir, dir, dir, dir, dir));
    return start(dir, port, log -> log.contains("nsd started"), "nsd.log",
        "/usr/sbin/nsd", "-d", "-c", dir.resolve("nsd.conf").toString());
  }

  /** dnsdist 1.7 with a DoH frontend on a free port, forwarding to {@code backendPort} on 127.0.0.1. */
  public static PeerProcesses dnsdistDoh(Path dir, Path cert, Path key, int backendPort) throws Exception {
    Peer.require("dnsdist");
    Files.createDirectories(dir);
    int port = freePort();
    int plain = freePort();
    Files.writeString(dir.resolve("dnsdist.conf"), """
        setSecurityPollSuffix("")
        setACL({"127.0.0.0/8"})
        setLocal("127.0.0.1:%d")
        addDOHLocal("127.0.0.1:%d", "%s", "%s", { "/dns-query" }, { minTLSVersion="tls1.2" })
        newServer({ address="127.0.0.1:%d", name="tinyisp-dns64", checkName="dns64.test.", checkType="SOA" })
        """.formatted(plain, port, cert, key, backendPort));
    return start(dir, port, log -> log.contains("for DoH") && log.contains("'up'"), "stdout.log",
        "/usr/bin/dnsdist", "--supervised", "--disable-syslog", "-C", dir.resolve("dnsdist.conf").toString());
  }

  private static PeerProcesses start(Path dir, int port, Predicate<String> ready, String logName, String... cmd)
      throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    PeerProcesses peer = new PeerProcesses(dir, port, p);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      Path log = dir.resolve(logName);
      String text = Files.exists(log) ? Files.readString(log) : "";
      if (ready.test(text)) return peer;
      if (!p.isAlive()) {
        peer.close();
        throw new IllegalStateException(cmd[0] + " exited: " + Files.readString(dir.resolve("stdout.log")) + text);
      }
      Thread.sleep(50);
    }
    String out = Files.readString(dir.resolve("stdout.log"));
    peer.close();
    throw new IllegalStateException(cmd[0] + " not ready in 15 s: " + out);
  }

  /** A port free for both UDP and TCP on 127.0.0.1 at the time of asking. */
  public static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = s.getLocalPort();
        try (DatagramSocket d = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException e) {
          // taken for UDP: try another
        }
      }
    }
    throw new IOException("no free port");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    // nsd forks a server child that exits with its parent; make sure no descendant outlives the test
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }
}
