package net.tinyisp.dns.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian {@code nsd} serving the test zones from a temp dir on a free loopback port; stopped (and its dir
 * removed) on close, also when a test fails.
 */
final class NsdPeer implements AutoCloseable {
  static final List<String> ZONES = List.of("dns64.test", "100.51.198.in-addr.arpa");
  final Path dir;
  final int port;
  private final Process process;

  private NsdPeer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/sbin/nsd"));
  }

  static NsdPeer start() throws Exception {
    Path dir = Files.createTempDirectory("tinyisp-nsd");
    StringBuilder zones = new StringBuilder();
    for (String z : ZONES) {
      try (InputStream in = NsdPeer.class.getResourceAsStream("/zones/" + z + ".zone")) {
        Files.write(dir.resolve(z + ".zone"), in.readAllBytes());
      }
      zones.append("zone:\n    name: \"").append(z).append("\"\n    zonefile: \"").append(z).append(".zone\"\n");
    }
    int port = freePort();
    String conf = """
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
            refuse-any: no
            hide-version: yes
        remote-control:
            control-enable: no
        """.formatted(port, dir, dir, dir, dir, dir, dir) + zones;
    Files.writeString(dir.resolve("nsd.conf"), conf);
    Process p = new ProcessBuilder("/usr/sbin/nsd", "-d", "-c", dir.resolve("nsd.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    NsdPeer peer = new NsdPeer(dir, port, p);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        String log = Files.readString(dir.resolve("stdout.log"));
        peer.close();
        throw new IllegalStateException("nsd exited: " + log);
      }
      String log = Files.exists(dir.resolve("nsd.log")) ? Files.readString(dir.resolve("nsd.log")) : "";
      if (log.contains("nsd started")) return peer;
      Thread.sleep(50);
    }
    peer.close();
    throw new IllegalStateException("nsd did not start within 10 s");
  }

  /** A port free for both UDP and TCP on 127.0.0.1 at the time of asking. */
  static int freePort() throws IOException {
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
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    // nsd forks a server child; it exits when the parent tells it to, give it a moment
    Path pid = dir.resolve("nsd.pid");
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
