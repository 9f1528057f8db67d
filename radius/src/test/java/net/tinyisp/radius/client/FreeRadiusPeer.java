package net.tinyisp.radius.client;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real FreeRADIUS 3.2 (Debian's freeradius package) started from a private copy of /etc/freeradius/3.0 with a
 * minimal virtual server: users file, PAP/CHAP, detail accounting, Message-Authenticator in every Access reply
 * (Debian's 3.2.1 predates the BlastRADIUS defaults). See docs anchor-configs.md.
 */
final class FreeRadiusPeer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/freeradius");
  static final Path CONFIG = Path.of("/etc/freeradius/3.0");

  final Path dir;
  final int authPort;
  private final Process process;

  static boolean available() {
    return Files.isExecutable(BINARY) && Files.isDirectory(CONFIG);
  }

  static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      return s.getLocalPort();
    }
  }

  FreeRadiusPeer(Path dir, String users) throws Exception {
    this.dir = dir;
    int port = 0;
    for (int i = 0; i < 20 && port == 0; i++) {
      int p = freeUdpPort();
      if (p < 65000) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", p + 1))) {
          port = p;
        } catch (IOException taken) {
          // try another pair
        }
      }
    }
    this.authPort = port;
    run("cp", "-a", CONFIG.toString() + "/.", dir.toString());
    Files.createDirectories(dir.resolve("log"));
    Files.createDirectories(dir.resolve("run"));
    run("sed", "-i", "s#^raddbdir = .*#raddbdir = " + dir + "#; s#^logdir = .*#logdir = " + dir + "/log#;"
        + " s#^run_dir = .*#run_dir = " + dir + "/run#; s#^\\(\\s*\\)user = freerad#\\1\\#user = freerad#;"
        + " s#^\\(\\s*\\)group = freerad#\\1\\#group = freerad#; s#reject_delay = 1#reject_delay = 0#",
        dir.resolve("radiusd.conf").toString());
    try (Stream<Path> s = Files.list(dir.resolve("sites-enabled"))) {
      for (Path p : s.toList()) Files.delete(p);
    }
    Files.deleteIfExists(dir.resolve("mods-enabled/eap"));
    Files.writeString(dir.resolve("mods-config/files/authorize"), users);
    Files.writeString(dir.resolve("sites-enabled/tinyisp"), """
        server default {
        listen {
        	type = auth
        	ipaddr = 127.0.0.1
        	port = %d
        }
        listen {
        	type = acct
        	ipaddr = 127.0.0.1
        	port = %d
        }
        authorize {
        	preprocess
        	chap
        	mschap
        	files
        	pap
        }
        authenticate {
        	Auth-Type PAP {
        		pap
        	}
        	Auth-Type CHAP {
        		chap
        	}
        	Auth-Type MS-CHAP {
        		mschap
        	}
        }
        preacct {
        	preprocess
        	acct_unique
        }
        accounting {
        	detail
        }
        post-auth {
        	update reply {
        		Message-Authenticator := 0x00
        	}
        	Post-Auth-Type REJECT {
        		update reply {
        			Message-Authenticator := 0x00
        		}
        	}
        }
        }
        """.formatted(authPort, authPort + 1));
    Path out = dir.resolve("freeradius.out");
    process = new ProcessBuilder(BINARY.toString(), "-f", "-d", dir.toString(), "-l", "stdout")
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (Files.readString(out).contains("Ready to process requests")) return;
      if (!process.isAlive()) break;
      Thread.sleep(100);
    }
    close();
    throw new IOException("FreeRADIUS did not start: " + Files.readString(out));
  }

  /** Text of every detail file written so far. */
  String detail() throws IOException {
    StringBuilder sb = new StringBuilder();
    Path acct = dir.resolve("log/radacct");
    if (!Files.exists(acct)) return "";
    try (Stream<Path> s = Files.walk(acct)) {
      for (Path p : s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
        sb.append(Files.readString(p));
      }
    }
    return sb.toString();
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + new String(p.getInputStream().readAllBytes()));
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
