package net.tinyisp.dns.proxy;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.dns.server.DnsMetrics;
import net.tinyisp.dns.server.TcpServer;
import net.tinyisp.dns.server.UdpListener;
import net.tinyisp.dns.upstream.NettyTransport;
import net.tinyisp.dns.upstream.Upstream;
import net.tinyisp.dns.upstream.UpstreamPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tinyisp doh-proxy}: plain DNS on UDP and TCP (the dns module's own front ends) forwarded over DoH or DoT,
 * with a cache and failover between upstreams.
 */
public final class DohProxyService implements Service {
  private static final Logger log = LoggerFactory.getLogger(DohProxyService.class);

  private final DohProxyConfig config;
  private final DnsMetrics metrics;
  private NettyTransport transport;
  private UpstreamPool pool;
  private final List<UdpListener> udp = new ArrayList<>();
  private final List<TcpServer> tcp = new ArrayList<>();

  public DohProxyService(DohProxyConfig config, Metrics metrics) {
    this.config = config;
    this.metrics = new DnsMetrics(metrics.registry());
  }

  @Override
  public String name() {
    return "doh-proxy";
  }

  @Override
  public synchronized void start() throws Exception {
    transport = new NettyTransport(Math.max(1, Runtime.getRuntime().availableProcessors()));
    try {
      ClientTls tls = new ClientTls(config.insecure(), config.caFile());
      SslContext h2 = null;
      SslContext dot = null;
      List<Upstream> ups = new ArrayList<>();
      for (UpstreamUrl u : config.upstreamUrls()) {
        if (u.kind() == UpstreamUrl.Kind.DOH) {
          if (h2 == null) h2 = tls.context(List.of("h2"));
          ups.add(new DohUpstream(u, config.bootstrapFor(u.host()), h2, transport, config.timeoutMs(),
              metrics::drop));
        } else {
          if (dot == null) dot = tls.context(List.of("dot"));
          ups.add(new DotUpstream(u, config.bootstrapFor(u.host()), dot, transport, config.timeoutMs(),
              metrics::drop));
        }
      }
      if (config.insecure()) {
        log.warn("doh-proxy: upstream certificates are NOT verified (--insecure)");
      }
      pool = new UpstreamPool(ups, Math.max(1, ups.size()), metrics, System::nanoTime);
      var cache = ProxyQueryHandler.newCache(config.cacheSize(), System::nanoTime);
      metrics.gauge("tinyisp_dns_proxy_cache_entries", "answers in the doh-proxy cache", cache::size);
      ProxyQueryHandler handler = new ProxyQueryHandler(pool, cache, metrics, System::nanoTime, config.cacheMaxTtl());
      for (HostPort l : config.listenAddresses()) {
        try {
          var pair = net.tinyisp.dns.server.UdpTcpListener.bind(transport, l.socketAddress(), handler,
              ProxyQueryHandler.OUR_UDP_SIZE, config.tcpIdleTimeoutMs(), metrics::drop);
          udp.add(pair.udp());
          tcp.add(pair.tcp());
          log.info("doh-proxy listening on {} (UDP and TCP)", pair.udp().address());
        } catch (Exception e) {
          throw new IllegalStateException("doh-proxy: cannot listen on " + l + ": " + e.getMessage(), e);
        }
      }
      log.info("doh-proxy upstreams: {}", config.upstreamUrls());
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  public List<InetSocketAddress> udpAddresses() {
    return udp.stream().map(UdpListener::address).toList();
  }

  public List<InetSocketAddress> tcpAddresses() {
    return tcp.stream().map(TcpServer::address).toList();
  }

  public DnsMetrics metrics() {
    return metrics;
  }

  @Override
  public Health health() {
    if (pool == null) return Health.down("not started");
    if (pool.down().size() == pool.size()) return Health.down("all upstreams failing: " + pool.down());
    return Health.ok();
  }

  @Override
  public synchronized void close() {
    udp.forEach(UdpListener::close);
    tcp.forEach(TcpServer::close);
    udp.clear();
    tcp.clear();
    if (pool != null) pool.close();
    pool = null;
    if (transport != null) transport.close();
    transport = null;
  }
}
