package net.tinyisp.dns.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.dns.acl.Acl;

/**
 * The {@code dns64} section of tinyisp.yaml, also built from the {@code tinyisp dns64} flags by
 * {@link #fromFlags}. Every key has a default; see dns/README.md for the table.
 */
public record Dns64Config(
    List<String> listen,
    List<String> upstreams,
    List<Dns64Prefix> prefixes,
    @JsonProperty("allow-query") String allowQuery,
    @JsonProperty("subscriber-networks") List<String> subscriberNetworks,
    @JsonProperty("cache-size") Integer cacheSize,
    @JsonProperty("cache-max-ttl") Integer cacheMaxTtl,
    @JsonProperty("upstream-timeout-ms") Integer upstreamTimeoutMs,
    @JsonProperty("upstream-retries") Integer upstreamRetries,
    @JsonProperty("tcp-idle-timeout-ms") Integer tcpIdleTimeoutMs,
    @JsonProperty("max-udp-size") Integer maxUdpSize,
    @JsonProperty("io-threads") Integer ioThreads,
    @JsonProperty("udp-io") String udpIo,
    @JsonProperty("udp-busy-poll-usecs") Integer udpBusyPollUsecs,
    @JsonProperty("xdp-interface") String xdpInterface,
    @JsonProperty("xdp-queues") Integer xdpQueues,
    @JsonProperty("xdp-mode") String xdpMode) {

  public static final List<String> DEFAULT_LISTEN = List.of("127.0.0.1:5353", "[::1]:5353");
  public static final String DEFAULT_PREFIX = "64:ff9b::/96";
  /**
   * How long a busy native UDP loop spins before it sleeps: about 7 gaps between queries at 150k qps, so a loop
   * under heavy load rarely sleeps, and short enough that a burst ending costs little (docs/bench/dns64.md).
   */
  public static final int DEFAULT_BUSY_POLL_USECS = 50;

  public Dns64Config {
    listen = listen == null ? DEFAULT_LISTEN : List.copyOf(listen);
    if (listen.isEmpty()) throw new IllegalArgumentException("'listen' needs at least one ADDRESS:PORT");
    for (String l : listen) HostPort.parse(l, -1);
    upstreams = upstreams == null ? ResolvConf.nameservers(ResolvConf.SYSTEM) : List.copyOf(upstreams);
    if (upstreams.isEmpty()) {
      throw new IllegalArgumentException("no upstreams: set 'upstreams' (ADDRESS:PORT) or add nameserver lines to "
          + ResolvConf.SYSTEM);
    }
    for (String u : upstreams) HostPort.parse(u, 53);
    prefixes = prefixes == null ? List.of(Dns64Prefix.of(DEFAULT_PREFIX)) : List.copyOf(prefixes);
    subscriberNetworks = subscriberNetworks == null ? List.of() : List.copyOf(subscriberNetworks);
    for (String n : subscriberNetworks) IpPrefix.parse(n);
    if (allowQuery != null) Acl.parse(allowQuery);
    cacheSize = positive("cache-size", cacheSize, 100_000);
    cacheMaxTtl = positive("cache-max-ttl", cacheMaxTtl, 86_400);
    upstreamTimeoutMs = positive("upstream-timeout-ms", upstreamTimeoutMs, 1_000);
    upstreamRetries = upstreamRetries == null ? 2 : upstreamRetries;
    if (upstreamRetries < 0 || upstreamRetries > 10) {
      throw new IllegalArgumentException("'upstream-retries' must be 0..10, not " + upstreamRetries);
    }
    tcpIdleTimeoutMs = positive("tcp-idle-timeout-ms", tcpIdleTimeoutMs, 10_000);
    maxUdpSize = maxUdpSize == null ? 1232 : maxUdpSize;
    if (maxUdpSize < 512 || maxUdpSize > 4096) {
      throw new IllegalArgumentException("'max-udp-size' must be 512..4096 (RFC 6891), not " + maxUdpSize);
    }
    ioThreads = positive("io-threads", ioThreads, defaultIoThreads(Runtime.getRuntime().availableProcessors()));
    udpIo = udpIo == null ? "native" : udpIo;
    if (!udpIo.equals("native") && !udpIo.equals("netty")) {
      throw new IllegalArgumentException("'udp-io' must be 'native' or 'netty', not '" + udpIo + "'");
    }
    udpBusyPollUsecs = udpBusyPollUsecs == null ? DEFAULT_BUSY_POLL_USECS : udpBusyPollUsecs;
    if (udpBusyPollUsecs < 0 || udpBusyPollUsecs > 1000) {
      throw new IllegalArgumentException("'udp-busy-poll-usecs' must be 0..1000 (0 = off), not " + udpBusyPollUsecs);
    }
    if (xdpInterface != null && !xdpInterface.matches("[A-Za-z0-9_.:@-]{1,15}")) {
      throw new IllegalArgumentException("'xdp-interface' must be an interface name (1-15 characters), not '"
          + xdpInterface + "'");
    }
    xdpQueues = xdpQueues == null ? 1 : xdpQueues;
    if (xdpQueues < 1 || xdpQueues > 256) {
      throw new IllegalArgumentException("'xdp-queues' must be 1..256, not " + xdpQueues);
    }
    xdpMode = xdpMode == null ? "driver" : xdpMode;
    if (!xdpMode.equals("driver") && !xdpMode.equals("generic")) {
      throw new IllegalArgumentException("'xdp-mode' must be 'driver' or 'generic', not '" + xdpMode + "'");
    }
  }

  /**
   * Half the cores, at least one: with native UDP each thread is a busy socket loop, and tinyisp shares the machine
   * with the kernel's UDP work (softirq, most of the cost per answer) and its other services. On the 2-core
   * benchmark one loop answered 7-12 % more queries per CPU-second than two (docs/bench/dns64.md).
   */
  static int defaultIoThreads(int cores) {
    return Math.max(1, cores / 2);
  }

  private static int positive(String key, Integer v, int dflt) {
    if (v == null) return dflt;
    if (v <= 0) throw new IllegalArgumentException("'" + key + "' must be a positive number, not " + v);
    return v;
  }

  /** All defaults: loopback :5353, upstreams from /etc/resolv.conf, 64:ff9b::/96. */
  public static Dns64Config defaults() {
    return new Dns64Config(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  /**
   * The {@code tinyisp dns64} flags. Empty lists and null strings mean "default"; the ACL and suffix options apply
   * to every {@code --prefix}.
   */
  public static Dns64Config fromFlags(List<String> listen, List<String> upstreams, List<String> prefixes,
      String clients, String mapped, String exclude, String suffix, boolean breakDnssec, String allowQuery) {
    List<Dns64Prefix> blocks = new ArrayList<>();
    for (String p : prefixes == null || prefixes.isEmpty() ? List.of(DEFAULT_PREFIX) : prefixes) {
      blocks.add(new Dns64Prefix(p, clients, mapped, exclude, suffix, breakDnssec, null));
    }
    return new Dns64Config(listen == null || listen.isEmpty() ? null : listen,
        upstreams == null || upstreams.isEmpty() ? null : upstreams, blocks, allowQuery,
        null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * This config with {@code io-threads}, {@code udp-io} and {@code udp-busy-poll-usecs} replaced where given (null
   * keeps the value), for the {@code --io-threads}, {@code --udp-io} and {@code --udp-busy-poll-usecs} flags of
   * {@code tinyisp dns64}.
   */
  public Dns64Config withIo(Integer ioThreads, String udpIo, Integer udpBusyPollUsecs) {
    return new Dns64Config(listen, upstreams, prefixes, allowQuery, subscriberNetworks, cacheSize, cacheMaxTtl,
        upstreamTimeoutMs, upstreamRetries, tcpIdleTimeoutMs, maxUdpSize,
        ioThreads == null ? this.ioThreads : ioThreads, udpIo == null ? this.udpIo : udpIo,
        udpBusyPollUsecs == null ? this.udpBusyPollUsecs : udpBusyPollUsecs, xdpInterface, xdpQueues, xdpMode);
  }

  /**
   * This config with the AF_XDP front end's {@code xdp-interface}, {@code xdp-queues} and {@code xdp-mode} replaced
   * where given (null keeps the value), for the {@code --xdp-*} flags of {@code tinyisp dns64}.
   */
  public Dns64Config withXdp(String xdpInterface, Integer xdpQueues, String xdpMode) {
    return new Dns64Config(listen, upstreams, prefixes, allowQuery, subscriberNetworks, cacheSize, cacheMaxTtl,
        upstreamTimeoutMs, upstreamRetries, tcpIdleTimeoutMs, maxUdpSize, ioThreads, udpIo, udpBusyPollUsecs,
        xdpInterface == null ? this.xdpInterface : xdpInterface, xdpQueues == null ? this.xdpQueues : xdpQueues,
        xdpMode == null ? this.xdpMode : xdpMode);
  }

  /** allow-query, RFC 5358 §4: not an open resolver; by default loopback plus the subscriber networks. */
  public Acl allowQueryAcl() {
    if (allowQuery != null) return Acl.parse(allowQuery);
    List<IpPrefix> nets = new ArrayList<>(List.of(IpPrefix.parse("127.0.0.0/8"), IpPrefix.parse("::1/128")));
    for (String n : subscriberNetworks) nets.add(IpPrefix.parse(n));
    return Acl.of(nets);
  }

  /**
   * UDP served by the native recvmmsg/sendmmsg loops (Linux; Netty elsewhere) rather than Netty's epoll event
   * loops: {@code udp-io: native}, the default, because it costs less CPU per answer (docs/bench/dns64.md).
   */
  public boolean nativeUdp() {
    return udpIo.equals("native");
  }

  public List<HostPort> listenAddresses() {
    return listen.stream().map(l -> HostPort.parse(l, -1)).toList();
  }

  public List<HostPort> upstreamAddresses() {
    return upstreams.stream().map(u -> HostPort.parse(u, 53)).toList();
  }
}
