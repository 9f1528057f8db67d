package net.tinyisp.app.cli;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.tinyisp.ppp.lcp.AuthMethod;
import net.tinyisp.pppoe.client.LoadClient;
import net.tinyisp.pppoe.client.LoadClientRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinyisp pppoe-client}: N PPPoE subscribers from random MACs at a given setup rate, for testing an access
 * concentrator (BNG Blaster is not packaged in Debian). Prints setup rate and setup-time percentiles.
 */
@Command(name = "pppoe-client", mixinStandardHelpOptions = true,
    description = "Load-test a PPPoE access concentrator: many subscribers dial in (LCP, PAP/CHAP, IPv6CP).")
public final class PppoeClientCommand implements Callable<Integer> {
  @Option(names = "--interface", required = true, paramLabel = "IF", description = "interface toward the access concentrator")
  String iface;

  @Option(names = "--sessions", defaultValue = "100", paramLabel = "N", description = "subscribers (default ${DEFAULT-VALUE})")
  int sessions;

  @Option(names = "--rate", defaultValue = "1000", paramLabel = "PER_SECOND", description = "new sessions per second (default ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--user", defaultValue = "user%d", paramLabel = "FORMAT", description = "user name, %%d = index (default ${DEFAULT-VALUE})")
  String userFormat;

  @Option(names = "--password", required = true, paramLabel = "PASSWORD", description = "password, %%d = index")
  String passwordFormat;

  @Option(names = "--auth", paramLabel = "chap|pap", description = "methods the clients accept (default chap, pap)")
  List<String> auth = new ArrayList<>();

  @Option(names = "--hold", defaultValue = "0", paramLabel = "SECONDS", description = "keep the sessions up this long")
  double hold;

  @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "give up on setup after (default ${DEFAULT-VALUE})")
  double timeout;

  @Option(names = "--rounds", defaultValue = "1", paramLabel = "N",
      description = "dial, hold and hang up N times with fresh MACs; the first rounds warm both JITs up (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--tun", paramLabel = "PREFIX", description = "give each session a TUN device PREFIX<index> with its"
      + " SLAAC address and a source rule, so real traffic (iperf3 -B ADDR) runs over it")
  String tunPrefix;

  @Override
  public Integer call() throws Exception {
    List<AuthMethod> methods = auth.isEmpty() ? List.of(AuthMethod.CHAP_MD5, AuthMethod.PAP)
        : auth.stream().map(a -> a.equalsIgnoreCase("pap") ? AuthMethod.PAP : AuthMethod.CHAP_MD5).toList();
    LoadClientRunner.Report r = null;
    for (int round = 1; round <= rounds; round++) {
      LoadClient client = new LoadClient(methods, new SecureRandom());
      for (int i = 0; i < sessions; i++) client.add(userFormat.formatted(i), passwordFormat.formatted(i));
      LoadClientRunner runner = new LoadClientRunner(iface, client, rate);
      if (tunPrefix != null) runner.tunnels(new net.tinyisp.pppoe.client.SessionTunnels(iface, tunPrefix, System.out));
      // SIGTERM / Ctrl-C: hang up properly (LCP Terminate, PADT; the TUN counters are printed) before the JVM exits
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      Thread hook = new Thread(() -> {
        runner.stop();
        try {
          done.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        r = runner.run(timeout, hold, () -> System.out.println("pppoe-client: " + client.upCount() + " sessions up"));
      } finally {
        done.countDown();
      }
      if (round < rounds) Runtime.getRuntime().removeShutdownHook(hook);
      System.out.println("pppoe-client: " + (rounds > 1 ? "round " + round + " " : "") + r);
      if (round < rounds) Thread.sleep(3000); // the hang-ups' accounting Stops settle before the next round
    }
    return r.up() == r.sessions() ? 0 : 3;
  }
}
