package net.tinyisp.dns.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.proxy.DohProxyConfig;
import net.tinyisp.dns.proxy.DohProxyService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyisp doh-proxy}: local plain DNS forwarded over DoH or DoT. */
@Command(name = "doh-proxy", mixinStandardHelpOptions = true,
    description = "Serve plain DNS (UDP and TCP) and forward every query over DNS over HTTPS (RFC 8484) or DNS over"
        + " TLS (RFC 7858), with a cache and failover between upstreams.")
public final class DohProxyCommand implements Callable<Integer> {
  @Option(names = "--listen", paramLabel = "ADDRESS:PORT",
      description = "UDP+TCP listener, repeatable (default 127.0.0.1:53 and [::1]:53)")
  List<String> listen;

  @Option(names = "--upstream", required = true, paramLabel = "URL",
      description = "https://HOST[:PORT]/dns-query or tls://HOST[:PORT], repeatable, in preference order")
  List<String> upstream;

  @Option(names = "--bootstrap", paramLabel = "[HOST=]ADDRESS",
      description = "address of an upstream host name, so no plain DNS is needed to reach it; repeatable")
  List<String> bootstrap;

  @Option(names = "--insecure", description = "do not verify upstream certificates (tests only)")
  boolean insecure;

  @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificates to trust instead of the system's")
  String ca;

  @Option(names = "--cache-size", paramLabel = "N", description = "cached answers (default 10000)")
  Integer cacheSize;

  @Option(names = "--timeout-ms", paramLabel = "MS", description = "per-upstream timeout (default 2000)")
  Integer timeoutMs;

  private final java.util.function.Function<DohProxyConfig, Integer> runner;

  public DohProxyCommand() {
    this(null);
  }

  /** {@code runner}: how the distribution runs the proxy (with the admin listener and shared metrics); null = alone. */
  public DohProxyCommand(java.util.function.Function<DohProxyConfig, Integer> runner) {
    this.runner = runner;
  }

  @Override
  public Integer call() throws Exception {
    DohProxyConfig config = new DohProxyConfig(listen, upstream, bootstrap, insecure, ca, cacheSize, null, timeoutMs,
        null);
    if (runner != null) return runner.apply(config);
    DohProxyService service = new DohProxyService(config, new Metrics());
    service.start();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stop.countDown();
    }, "doh-proxy-shutdown"));
    stop.await();
    return 0;
  }
}
