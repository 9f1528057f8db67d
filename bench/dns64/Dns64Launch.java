import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.Dns64Service;
import net.tinyisp.dns.config.Dns64Config;

/**
 * Bench-only launcher for the dns module's {@link Dns64Service}, taking the flags the `tinyisp dns64` command is
 * specified with (--listen, --upstream, --prefix, --mapped, --break-dnssec) and mapping them through
 * {@link Dns64Config#fromFlags}, the same path the command uses. It exists so the benchmark can run before the app
 * module wires `tinyisp dns64`; once that lands, the default TINYISP_CMD (the jar) replaces it. Runs until killed.
 */
public final class Dns64Launch {
  public static void main(String[] args) throws Exception {
    List<String> listen = new ArrayList<>(), upstreams = new ArrayList<>(), prefixes = new ArrayList<>();
    String mapped = null;
    boolean breakDnssec = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--listen" -> listen.add(args[++i]);
        case "--upstream" -> upstreams.add(args[++i]);
        case "--prefix" -> prefixes.add(args[++i]);
        case "--mapped" -> mapped = args[++i];
        case "--break-dnssec" -> breakDnssec = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Dns64Config config = Dns64Config.fromFlags(listen, upstreams, prefixes, null, mapped, null, null, breakDnssec, null);
    Dns64Service service = new Dns64Service(config, new Metrics());
    service.start();
    System.out.println("dns64 serving UDP " + service.udpAddresses() + " TCP " + service.tcpAddresses());
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stop.countDown();
    }));
    stop.await();
  }
}
