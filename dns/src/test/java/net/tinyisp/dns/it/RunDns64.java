package net.tinyisp.dns.it;

import java.util.List;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.Dns64Service;
import net.tinyisp.dns.config.Dns64Config;

/** For profiling by hand: {@code java -cp ... RunDns64 LISTEN UPSTREAM} until killed. Not a test. */
public final class RunDns64 {
  public static void main(String[] args) throws Exception {
    Dns64Config f = Dns64Config.fromFlags(List.of(args[0]), List.of(args[1]), List.of(), null, "!10/8; any;", null,
        null, false, null);
    Dns64Config c = new Dns64Config(f.listen(), f.upstreams(), f.prefixes(), f.allowQuery(), null, null, null, null,
        null, null, null, Integer.getInteger("threads"), System.getProperty("udpio"),
        Integer.getInteger("busypoll"), System.getProperty("xdp"), null, System.getProperty("xdpmode"));
    Metrics m = new Metrics();
    try (Dns64Service s = new Dns64Service(c, m)) {
      s.start();
      System.out.println("serving on " + s.udpAddresses());
      Thread.sleep(Long.parseLong(args.length > 2 ? args[2] : "60") * 1000);
      System.out.println(m.scrape());
    }
  }
}
