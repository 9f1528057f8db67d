package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #8's borrowing case through real load-client sessions: the AC runs the hierarchical shaper
 * ({@code uplink-down: 60M}), two subscribers have a plan of 10 Mbit/s down (RP-Downstream-Speed-Limit) with a
 * 50 Mbit/s ceiling (Mikrotik-Rate-Limit max-limit, as tinyisp's RADIUS store sends it). One downloading alone gets
 * its ceiling, 50; both downloading get 10 guaranteed plus half of the 40 left each, 30. Rates in IPv6 bytes; iperf3
 * shows TCP payload ({@link TrafficLab#PAYLOAD}).
 */
class PppoeBorrowingIT {
  static TrafficLab lab;

  @BeforeAll
  static void lab() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespaces, AF_PACKET, TUN)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/iperf3")), "iperf3 is not installed");
    assumeTrue(Files.exists(NamespaceLab.root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    String users = NamespaceLab.users(2, i -> "\tRP-Upstream-Speed-Limit = 10000,\n\tRP-Downstream-Speed-Limit = 10000,\n"
        + "\tMikrotik-Rate-Limit = \"10000k/50000k 0/0 0/0 0/0 8 10000k/10000k\"\n");
    lab = new TrafficLab("tinyisp-borrow", users, 2);
    Path config = lab.dir.resolve("tinyisp.yaml");
    Files.writeString(config, """
        data-dir: %s
        admin:
          listen: ["127.0.0.1:9153"]
        pppoe:
          interface: ac-sub
          radius: ["127.0.0.1:1812"]
          radius-secret: testing123
          prefix-pool: 2001:db8:1000::/36
          pd-length: 48
          uplink-down: 60M
        """.formatted(lab.dir.resolve("data")));
    lab.ac.tinyisp("RunCommand: ready", "run", "--config", config.toString());
    lab.dial(2);
  }

  @AfterAll
  static void teardown() throws Exception {
    if (lab != null) lab.close();
  }

  @Test
  void oneAloneBorrowsUpToItsCeilingAndTwoBusyShareTheUplink() throws Exception {
    lab.iperf(0, 5201, true, 2); // warms both JVMs' data paths, not measured
    double alone = TrafficLab.receivedBps(lab.iperf(0, 5201, true, 4)) / 1e6;
    Process a = lab.startIperf(0, 5201, true, 5);
    Process b = lab.startIperf(1, 5202, true, 5);
    double both0 = TrafficLab.receivedBps(TrafficLab.result(a, 5)) / 1e6;
    double both1 = TrafficLab.receivedBps(TrafficLab.result(b, 5)) / 1e6;
    System.out.printf("PppoeBorrowingIT: alone %.1f Mbit/s (ceiling 50), both busy %.1f + %.1f Mbit/s (30 each), iperf3"
        + " goodput; x %.4f = IPv6 rate%n", alone, both0, both1, 1 / TrafficLab.PAYLOAD);
    assertThat(alone).as("alone: its ceiling").isCloseTo(50 * TrafficLab.PAYLOAD, within(0.1 * 50));
    assertThat(both0).as("both busy, first").isCloseTo(30 * TrafficLab.PAYLOAD, within(0.1 * 30));
    assertThat(both1).as("both busy, second").isCloseTo(30 * TrafficLab.PAYLOAD, within(0.1 * 30));
  }
}
