package net.tinyisp.dns.encrypted;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.Dns64Service;
import net.tinyisp.dns.config.Dns64Config;
import net.tinyisp.dns.tls.EncryptedDnsConfig;
import net.tinyisp.dns.tls.EncryptedDnsService;

/**
 * Starts the DNS64 resolver with DoT and DoH listeners for {@code bench/dns-encrypted/run.sh}, until the app
 * module's {@code tinyisp dns64 --dot --doh} exists. Arguments: UPSTREAM PLAIN DOT DOH CERT KEY (addresses as
 * ADDRESS:PORT).
 */
public final class EncryptedBenchServer {
  private EncryptedBenchServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: EncryptedBenchServer UPSTREAM PLAIN DOT DOH CERT KEY");
      System.exit(2);
    }
    Metrics metrics = new Metrics();
    Dns64Service dns64 = new Dns64Service(Dns64Config.fromFlags(List.of(args[1]), List.of(args[0]), null, null,
        null, null, null, false, null), metrics);
    dns64.start();
    EncryptedDnsService enc = new EncryptedDnsService(EncryptedDnsConfig.of(List.of(args[2]), List.of(args[3]),
        null, args[4], args[5], null, System.getProperty("java.io.tmpdir")), dns64.queryHandler(), metrics);
    enc.start();
    System.out.println("ready");
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      enc.close();
      dns64.close();
      stop.countDown();
    }));
    stop.await();
  }
}
