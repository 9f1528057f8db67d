package net.tinyisp.dns.tls;

import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.dns.doh.DohServer;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.upstream.NettyTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DoT, DoH and plain-DoH listeners of one resolver, all calling the same {@link QueryHandler} as its plain
 * UDP/TCP front ends. Without a configured certificate it generates a self-signed one under
 * {@code data-dir/tls/} (kept across restarts) and says so.
 */
public final class EncryptedDnsService implements Service {
  private static final Logger log = LoggerFactory.getLogger(EncryptedDnsService.class);

  private final EncryptedDnsConfig config;
  private final QueryHandler handler;
  private final EncryptedDnsMetrics metrics;
  private final List<Channel> dot = new ArrayList<>();
  private final List<Channel> doh = new ArrayList<>();
  private final List<Channel> dohPlain = new ArrayList<>();
  private final List<ReloadingSslContext> contexts = new ArrayList<>();
  private NettyTransport loops;
  private ScheduledFuture<?> reloadTask;

  public EncryptedDnsService(EncryptedDnsConfig config, QueryHandler handler, Metrics metrics) {
    this.config = config;
    this.handler = handler;
    this.metrics = new EncryptedDnsMetrics(metrics.registry());
  }

  @Override
  public String name() {
    return "dns-encrypted";
  }

  @Override
  public void start() throws Exception {
    try {
      loops = new NettyTransport(Math.max(1, Runtime.getRuntime().availableProcessors()));
      ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections(), metrics);
      CertificateFiles files = null;
      if (!config.dot().isEmpty() || !config.doh().isEmpty()) {
        files = certificateFiles();
      }
      if (!config.dot().isEmpty()) {
        ReloadingSslContext tls = new ReloadingSslContext(files, List.of("dot"));
        contexts.add(tls);
        DotServer server = new DotServer(loops, tls, handler, metrics, limiter, config.idleTimeout(),
            config.maxConcurrentStreams());
        for (HostPort hp : config.dotListen()) {
          dot.add(bind("DoT", hp, () -> server.bind(hp)));
        }
      }
      DohServer dohServer = new DohServer(loops, handler, metrics, limiter, config.trustedProxies(),
          config.idleTimeout(), config.maxConcurrentStreams());
      if (!config.doh().isEmpty()) {
        ReloadingSslContext tls = new ReloadingSslContext(files, List.of("h2", "http/1.1"));
        contexts.add(tls);
        for (HostPort hp : config.dohListen()) {
          doh.add(bind("DoH", hp, () -> dohServer.bindTls(hp, tls)));
        }
      }
      for (HostPort hp : config.dohPlainListen()) {
        dohPlain.add(bind("plain DoH", hp, () -> dohServer.bindPlain(hp)));
      }
      if (!contexts.isEmpty()) {
        long every = config.reloadCheckSeconds();
        reloadTask = loops.group().scheduleAtFixedRate(this::reloadCertificates, every, every, TimeUnit.SECONDS);
        log.info("TLS by {}; certificate {} checked for renewal every {} s", ReloadingSslContext.providerName(),
            files.cert(), every);
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private interface Binder {
    Channel bind() throws Exception;
  }

  private static Channel bind(String what, HostPort hp, Binder b) throws Exception {
    try {
      Channel ch = b.bind();
      log.info("{} listening on {}", what, ch.localAddress());
      return ch;
    } catch (Exception e) {
      throw new IOException("cannot listen for " + what + " on " + hp + ": " + e.getMessage(), e);
    }
  }

  /** Checks the certificate files now (the timer does this every reload-check-seconds). */
  public void reloadCertificates() {
    for (ReloadingSslContext c : contexts) {
      if (c.reloadIfChanged()) {
        metrics.reloaded();
      }
    }
  }

  private CertificateFiles certificateFiles() throws IOException {
    CertificateFiles configured = config.certificateFiles();
    if (configured != null) {
      return configured;
    }
    Path dir = Path.of(config.dataDir(), "tls");
    CertificateFiles existing = new CertificateFiles(dir.resolve("fullchain.pem"), dir.resolve("privkey.pem"), null);
    if (Files.exists(existing.cert()) && Files.exists(existing.key())) {
      log.warn("no certificate configured: using the self-signed one generated earlier in {}", dir);
      return existing;
    }
    String host = InetAddress.getLocalHost().getHostName();
    List<InetAddress> addresses = new ArrayList<>();
    for (HostPort hp : config.dotListen()) addresses.add(hp.address());
    for (HostPort hp : config.dohListen()) addresses.add(hp.address());
    CertificateFiles generated = SelfSignedCertificate.write(dir, host, List.of(host, "localhost"),
        addresses.stream().distinct().toList(), Duration.ofDays(825));
    log.warn("no certificate configured: generated a self-signed certificate for {} in {}; clients will not "
        + "trust it, configure cert/key (e.g. Let's Encrypt fullchain.pem/privkey.pem) for a public service",
        host, dir);
    return generated;
  }

  public List<InetSocketAddress> dotAddresses() {
    return addresses(dot);
  }

  public List<InetSocketAddress> dohAddresses() {
    return addresses(doh);
  }

  public List<InetSocketAddress> dohPlainAddresses() {
    return addresses(dohPlain);
  }

  public EncryptedDnsMetrics metrics() {
    return metrics;
  }

  private static List<InetSocketAddress> addresses(List<Channel> channels) {
    return channels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  @Override
  public Health health() {
    for (List<Channel> list : List.of(dot, doh, dohPlain)) {
      for (Channel c : list) {
        if (!c.isOpen()) return Health.down("listener " + c.localAddress() + " closed");
      }
    }
    return Health.ok();
  }

  @Override
  public void close() {
    if (reloadTask != null) reloadTask.cancel(false);
    for (List<Channel> list : List.of(dot, doh, dohPlain)) {
      list.forEach(c -> c.close().syncUninterruptibly());
      list.clear();
    }
    if (loops != null) {
      loops.close();
      loops = null;
    }
  }
}
