package net.tinyisp.dns;

import io.micrometer.core.instrument.FunctionCounter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.dns.config.Dns64Config;
import net.tinyisp.dns.dns64.Dns64Block;
import net.tinyisp.dns.resolver.Dns64Resolver;
import net.tinyisp.dns.server.DnsMetrics;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.server.TcpServer;
import net.tinyisp.dns.server.UdpListener;
import net.tinyisp.dns.server.xdp.XdpUdpServer;
import net.tinyisp.dns.upstream.DnsUpstream;
import net.tinyisp.dns.upstream.NettyTransport;
import net.tinyisp.dns.upstream.Upstream;
import net.tinyisp.dns.upstream.UpstreamPool;
import net.tinyisp.net.xdp.XdpSteering;

/**
 * The DNS64 resolver as a service: UDP and TCP listeners on every {@code listen} address, the upstream pool and the
 * cache. Other front ends (DoT, DoH) attach to {@link #queryHandler()} after {@link #start()}.
 */
public final class Dns64Service implements Service {
  private final Dns64Config config;
  private final DnsMetrics metrics;
  private NettyTransport transport;
  private UpstreamPool pool;
  private Dns64Resolver resolver;
  private final List<UdpListener> udp = new ArrayList<>();
  private XdpUdpServer xdp;
  private final List<TcpServer> tcp = new ArrayList<>();

  public Dns64Service(Dns64Config config, Metrics metrics) {
    this.config = config;
    this.metrics = new DnsMetrics(metrics.registry());
  }

  @Override
  public String name() {
    return "dns64";
  }

  @Override
  public synchronized void start() throws Exception {
    if (transport != null) throw new IllegalStateException("dns64 already started");
    List<Dns64Block> blocks = config.prefixes().stream().map(Dns64Block::of).toList();
    transport = new NettyTransport(config.ioThreads());
    try {
      List<Upstream> ups = new ArrayList<>();
      for (HostPort u : config.upstreamAddresses()) {
        ups.add(new DnsUpstream(transport, u.socketAddress(), config.upstreamTimeoutMs(), 1232, metrics::drop));
      }
      pool = new UpstreamPool(ups, config.upstreamRetries(), metrics, System::nanoTime);
      var cache = Dns64Resolver.newCache(config.cacheSize(), System::nanoTime);
      resolver = new Dns64Resolver(config.allowQueryAcl(), blocks, cache, pool, metrics, System::nanoTime,
          config.maxUdpSize(), config.cacheMaxTtl());
      metrics.gauge("tinyisp_dns_cache_entries", "answers in the cache", cache::size);
      metrics.gauge("tinyisp_dns_cache_evictions", "entries evicted because the cache was full",
          cache::evictions);
      FunctionCounter.builder("tinyisp_dns_udp_busy_poll_seconds", udp,
              list -> list.stream().mapToDouble(UdpListener::busyPollSeconds).sum())
          .description("time the native UDP loops spent polling their sockets instead of sleeping (udp-busy-poll-usecs)")
          .register(metrics.registry());
      for (HostPort l : config.listenAddresses()) {
        try {
          // TCP on the port UDP got, so "port 0" gives one port for both as clients expect
          var pair = net.tinyisp.dns.server.UdpTcpListener.bind(transport, config.nativeUdp(),
              config.udpBusyPollUsecs() * 1000L, l.socketAddress(), resolver,
              config.maxUdpSize(), config.tcpIdleTimeoutMs(), metrics::drop);
          udp.add(pair.udp());
          tcp.add(pair.tcp());
        } catch (Exception e) {
          throw new IllegalStateException("dns64: cannot listen on " + l + ": " + e.getMessage(), e);
        }
      }
      if (config.xdpInterface() != null) startXdp();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /**
   * The AF_XDP front end: UDP queries to the listen addresses that arrive on {@code xdp-interface} are answered from
   * its rings; the socket listeners stay for TCP and for what the XDP program passes on.
   */
  private void startXdp() {
    int mode = config.xdpMode().equals("generic") ? XdpSteering.SKB_MODE : XdpSteering.DRIVER_MODE;
    try {
      xdp = XdpUdpServer.start(config.xdpInterface(), config.xdpQueues(), mode,
          udpAddresses(), resolver, config.maxUdpSize(), config.udpBusyPollUsecs() * 1000L, metrics::drop);
    } catch (Exception e) {
      throw new IllegalStateException("dns64: cannot serve UDP through AF_XDP on " + config.xdpInterface() + ": "
          + e.getMessage(), e);
    }
    FunctionCounter.builder("tinyisp_dns_xdp_frames", xdp, XdpUdpServer::frames)
        .description("UDP queries the XDP program steered to the AF_XDP sockets (xdp-interface)")
        .register(metrics.registry());
    FunctionCounter.builder("tinyisp_dns_xdp_kernel_drops", xdp, XdpUdpServer::kernelDrops)
        .description("steered queries the kernel dropped before tinyisp saw them: RX ring full, no free frame")
        .register(metrics.registry());
    FunctionCounter.builder("tinyisp_dns_xdp_busy_poll_seconds", xdp, XdpUdpServer::busyPollSeconds)
        .description("time the AF_XDP loops spent watching their receive rings instead of sleeping")
        .register(metrics.registry());
  }

  /** The handler the UDP/TCP listeners use; DoT and DoH attach theirs to the same one. */
  public QueryHandler queryHandler() {
    if (resolver == null) throw new IllegalStateException("dns64 not started");
    return resolver;
  }

  /** Where UDP is served, in {@code listen} order (ports resolved when listening on port 0). */
  public List<InetSocketAddress> udpAddresses() {
    return udp.stream().map(UdpListener::address).toList();
  }

  public List<InetSocketAddress> tcpAddresses() {
    return tcp.stream().map(TcpServer::address).toList();
  }

  @Override
  public Health health() {
    if (resolver == null) return Health.down("not started");
    if (pool.down().size() == pool.size()) return Health.down("all upstreams failing: " + pool.down());
    return Health.ok();
  }

  @Override
  public synchronized void close() {
    if (xdp != null) {
      xdp.close();
      xdp = null;
    }
    for (UdpListener s : udp) s.close();
    for (TcpServer s : tcp) s.close();
    udp.clear();
    tcp.clear();
    if (pool != null) pool.close();
    if (transport != null) transport.close();
    transport = null;
  }
}
