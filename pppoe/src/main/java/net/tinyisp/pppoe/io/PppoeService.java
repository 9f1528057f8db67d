package net.tinyisp.pppoe.io;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.net.link.LinkSetup;
import net.tinyisp.net.packet.AfPacketSocket;
import net.tinyisp.net.tun.TunConfig;
import net.tinyisp.net.tun.TunDevice;
import net.tinyisp.net.tun.TunQueue;
import net.tinyisp.ppp.Protocols;
import net.tinyisp.ppp.fsm.Timers;
import net.tinyisp.ppp.lcp.AuthMethod;
import net.tinyisp.ppp.lcp.LcpConfig;
import net.tinyisp.ppp.link.LinkConfig;
import net.tinyisp.ppp.link.TerminateCause;
import net.tinyisp.pppoe.DropReason;
import net.tinyisp.pppoe.aaa.Aaa;
import net.tinyisp.pppoe.aaa.Authorization;
import net.tinyisp.pppoe.discovery.DiscoveryConfig;
import net.tinyisp.pppoe.discovery.DiscoveryServer;
import net.tinyisp.pppoe.ipv6.PrefixDelegation;
import net.tinyisp.pppoe.ipv6.PrefixPool;
import net.tinyisp.pppoe.ipv6.RouterAdvertisement;
import net.tinyisp.pppoe.session.AcAction;
import net.tinyisp.pppoe.session.AccessConcentrator;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.PppoeFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access concentrator on a real interface: an AF_PACKET socket toward the subscribers, a TUN device toward the
 * core, RADIUS through {@link Aaa}. Two platform threads: the control loop (frames, PPP, timers, RADIUS answers,
 * upstream packets) and the core reader (downstream packets from TUN into session frames). The protocol logic is in
 * {@link AccessConcentrator}; this class only moves bytes and applies decisions.
 */
public final class PppoeService implements Service {
  private static final Logger log = LoggerFactory.getLogger(PppoeService.class);
  private static final long SECOND = 1_000_000_000L;
  private static final long RA_INTERVAL = 200 * SECOND; // RFC 4861 §6.2.1: MaxRtrAdvInterval 4..1800 s
  private static final byte[] ALL_NODES = IpPrefix.parse("ff02::1").network();

  private final PppoeConfig config;
  private final Aaa aaa;
  private final MeterRegistry registry;
  private final RandomGenerator random = new SecureRandom();
  private final Queue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final Map<Integer, Subscriber> subscribers = new ConcurrentHashMap<>();
  // sessions that ended, for the core thread to release their queued download packets
  private final Queue<Subscriber> retired = new ConcurrentLinkedQueue<>();
  // sessions whose download limit changed (CoA, set-rate), for the core thread to apply at its next turn
  private final Queue<Subscriber> reshaped = new ConcurrentLinkedQueue<>();
  private final DownstreamShaping shaping;
  private final Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
  private final Counter accepts;
  private final Counter rejects;
  private final RouteTable routes;
  private final PrefixPool delegationPool;
  private final PrefixPool linkPool;
  // dual-stack IPCP (null when IPv6-only): the pool, and subscriber IPv4 address -> session for the core thread
  private final net.tinyisp.pppoe.ipv4.Ipv4Pool ipv4Pool;
  private final Map<Integer, Integer> ipv4Routes = new ConcurrentHashMap<>();

  private AfPacketSocket socket;
  private TunDevice tun;
  private MacAddress ourMac;
  private AccessConcentrator ac;
  private byte[] serverDuid;
  private net.tinyisp.radius.client.CoaListener coa;
  private java.time.ZonedDateTime nextCounterReset;
  private Thread control;
  private Thread core;
  private volatile boolean running;
  private volatile String failure;

  public PppoeService(PppoeConfig config, Aaa aaa, Metrics metrics) {
    this.config = config;
    this.aaa = aaa;
    this.registry = metrics.registry();
    for (DropReason r : DropReason.values()) {
      drops.put(r, Counter.builder("tinyisp_pppoe_drops").description(r.description()).tag("reason", r.name().toLowerCase())
          .register(registry));
    }
    accepts = Counter.builder("tinyisp_pppoe_auth").tag("result", "accept").register(registry);
    rejects = Counter.builder("tinyisp_pppoe_auth").tag("result", "reject").register(registry);
    Gauge.builder("tinyisp_pppoe_sessions", subscribers, Map::size).description("PPPoE sessions").register(registry);
    routes = new RouteTable(config.pdLength());
    IpPrefix pool = IpPrefix.parse(config.prefixPool());
    delegationPool = new PrefixPool(pool, config.pdLength());
    linkPool = new PrefixPool(config.linkPrefixPool(), 64);
    if (config.linkPool() == null) delegationPool.reserve(config.linkPrefixPool()); // the link /64s live there
    ipv4Pool = config.ipcp() ? new net.tinyisp.pppoe.ipv4.Ipv4Pool(IpPrefix.parse(config.ipv4Pool())) : null;
    shaping = new DownstreamShaping(config.uplinkDownBps(), config.maxSessions(), System.nanoTime());
    for (net.tinyisp.shaping.DropReason r : net.tinyisp.shaping.DropReason.values()) {
      io.micrometer.core.instrument.FunctionCounter.builder("tinyisp_shaping_drops", shaping, sh -> sh.drops(r))
          .description(r.description()).tag("reason", r.label()).register(registry);
    }
    Gauge.builder("tinyisp_shaping_queued_packets", shaping, DownstreamShaping::queuedPackets)
        .description("download packets waiting in the shapers").register(registry);
  }

  /** The production wiring: RADIUS clients for authentication and accounting from the config, shipped dictionaries. */
  public static PppoeService withRadius(PppoeConfig config, Metrics metrics) throws java.io.IOException {
    byte[] secret = config.radiusSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<net.tinyisp.radius.client.RadiusClientConfig.Server> auth = config.radius().stream()
        .map(r -> new net.tinyisp.radius.client.RadiusClientConfig.Server(net.tinyisp.common.net.HostPort.parse(r, 1812), secret)).toList();
    List<net.tinyisp.radius.client.RadiusClientConfig.Server> acct = config.radiusAccounting().stream()
        .map(r -> new net.tinyisp.radius.client.RadiusClientConfig.Server(net.tinyisp.common.net.HostPort.parse(r, 1813), secret)).toList();
    var codec = new net.tinyisp.radius.dictionary.AttributeCodec(net.tinyisp.radius.dictionary.Dictionary.standard());
    var aaa = new net.tinyisp.pppoe.aaa.RadiusAaa(radiusPool(auth), radiusPool(acct), codec, config.nasIdentifier());
    return new PppoeService(config, aaa, metrics);
  }

  /** RADIUS sockets per server list: 4 x 255 requests in flight covers a burst of 1000 dialling subscribers. */
  static final int RADIUS_SOCKETS = 4;

  private static net.tinyisp.pppoe.aaa.RadiusClientPool radiusPool(
      List<net.tinyisp.radius.client.RadiusClientConfig.Server> servers) throws java.io.IOException {
    List<net.tinyisp.radius.client.RadiusClient> clients = new ArrayList<>();
    for (int i = 0; i < RADIUS_SOCKETS; i++) {
      clients.add(new net.tinyisp.radius.client.RadiusClient(net.tinyisp.radius.client.RadiusClientConfig.of(servers)));
    }
    return new net.tinyisp.pppoe.aaa.RadiusClientPool(clients);
  }

  @Override
  public String name() {
    return "pppoe";
  }

  @Override
  public synchronized void start() throws Exception {
    ourMac = MacAddress.parse(java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net", config.iface(), "address")).strip());
    serverDuid = PrefixDelegation.duidLl(ourMac.bytes());
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    DiscoveryServer discovery = new DiscoveryServer(new DiscoveryConfig(config.acName(), config.serviceNames(),
        config.maxSessions(), config.padiPerMacPerSecond(), config.padiPerSecond(), secret), ourMac, random, System.nanoTime());
    List<AuthMethod> methods = config.auth().stream().map(a -> a.equals("pap") ? AuthMethod.PAP : AuthMethod.CHAP_MD5).toList();
    LinkConfig link = new LinkConfig(new LcpConfig(1492, methods, java.time.Duration.ofSeconds(config.lcpEchoInterval()),
        config.lcpEchoFailure()), Timers.RFC_DEFAULTS, java.time.Duration.ofSeconds(30), config.ipcp(), config.acName());
    ac = new AccessConcentrator(discovery, ourMac, link, random);
    tun = TunDevice.open(TunConfig.simple(config.tun()));
    if (config.setup()) {
      LinkSetup ip = LinkSetup.here();
      // MTU 1492 toward the core: the kernel answers oversized packets with Packet Too Big before they reach us
      ip.up(config.tun(), 1492);
      ip.route(config.prefixPool(), config.tun());
      if (config.linkPool() != null) ip.route(config.linkPool(), config.tun());
      if (config.ipcp()) ip.route(config.ipv4Pool(), config.tun());
      ip.ip("link", "set", config.iface(), "up");
    }
    socket = AfPacketSocket.open(PppoeRing.on(config.iface()));
    if (!config.coaListen().equals("off")) {
      coa = new net.tinyisp.radius.client.CoaListener(net.tinyisp.common.net.HostPort.parse(config.coaListen(), 3799),
          config.radius().stream().map(r -> net.tinyisp.radius.server.NasClient.of(
              net.tinyisp.common.net.HostPort.parse(r, 1812).address().getHostAddress(), config.radiusSecret())).toList(),
          net.tinyisp.radius.dictionary.Dictionary.standard(), this::dynamicAuthorization);
      coa.start();
    }
    if (config.counterReset() != null) {
      nextCounterReset = CronSchedule.parse(config.counterReset()).next(java.time.ZonedDateTime.now());
    }
    running = true;
    control = Thread.ofPlatform().name("pppoe-ctl").start(this::controlLoop);
    core = Thread.ofPlatform().name("pppoe-core").start(this::coreLoop);
    log.atInfo().addKeyValue("interface", config.iface()).addKeyValue("ac-name", config.acName())
        .addKeyValue("mac", ourMac).addKeyValue("tun", config.tun()).log("pppoe access concentrator listening");
  }

  @Override
  public Health health() {
    return failure == null ? Health.ok() : Health.down(failure);
  }

  // ------------------------------------------------------------------ control loop

  private void controlLoop() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(2048);
      long nextHousekeeping = 0;
      while (running) {
        socket.receive((ring, offset, length) -> {
          if (dataFromSubscriber(ring, offset, length, out)) return;
          byte[] frame = ring.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
          apply(ac.receive(frame, length, System.nanoTime()), out);
        }, 5);
        for (Runnable r; (r = inbox.poll()) != null; ) r.run();
        long now = System.nanoTime();
        long d = ac.deadline();
        if (d >= 0 && d <= now) apply(ac.tick(now), out);
        if (now >= nextHousekeeping) {
          housekeeping(now, out);
          nextHousekeeping = now + SECOND;
        }
      }
    } catch (Throwable t) {
      failure = "control loop stopped: " + t;
      log.atError().setCause(t).log("pppoe control loop failed");
    }
  }

  /**
   * The upload fast path: a well-formed RFC 2516 session frame (VER/TYPE 0x11, CODE 0, LENGTH within the frame) with
   * an IPv6 or IPv4 packet of an open session goes to {@link #upstream} straight from the ring, with one copy and none
   * of the frame/action objects the general path builds (they made the upload cost more per packet than the
   * download). False leaves the frame to {@link AccessConcentrator#receive}, which handles or counts everything else.
   */
  private boolean dataFromSubscriber(MemorySegment ring, long off, int length, MemorySegment out) {
    if (length < 22 || ring.get(ValueLayout.JAVA_BYTE, off + 12) != (byte) 0x88
        || ring.get(ValueLayout.JAVA_BYTE, off + 13) != 0x64 || ring.get(ValueLayout.JAVA_BYTE, off + 14) != 0x11
        || ring.get(ValueLayout.JAVA_BYTE, off + 15) != 0) {
      return false;
    }
    int sessionId = u16(ring, off + 16);
    int pppLength = u16(ring, off + 18);
    int protocol = u16(ring, off + 20);
    if (pppLength < 2 || 20 + pppLength > length || (protocol != 0x0057 && protocol != 0x0021)) return false;
    long source = 0;
    for (int i = 6; i < 12; i++) source = source << 8 | (ring.get(ValueLayout.JAVA_BYTE, off + i) & 0xff);
    if (!ac.carriesData(sessionId, source, protocol)) return false;
    byte[] packet = ring.asSlice(off + 22, pppLength - 2).toArray(ValueLayout.JAVA_BYTE);
    if (protocol == 0x0057) upstream(sessionId, packet, out);
    else upstreamIpv4(sessionId, packet, out);
    return true;
  }

  private static int u16(MemorySegment m, long at) {
    return (m.get(ValueLayout.JAVA_BYTE, at) & 0xff) << 8 | m.get(ValueLayout.JAVA_BYTE, at + 1) & 0xff;
  }

  private void apply(List<AcAction> actions, MemorySegment out) {
    for (AcAction a : actions) {
      switch (a) {
        case AcAction.SendFrame f -> send(out, f.frame());
        case AcAction.Drop d -> {
          drops.get(d.reason()).increment();
          log.atDebug().addKeyValue("reason", d.reason()).addKeyValue("detail", d.detail()).log("dropped");
        }
        case AcAction.Authenticate auth -> authenticate(auth, out);
        case AcAction.SessionUp up -> sessionUp(up, out);
        case AcAction.SessionDown down -> sessionDown(down);
        case AcAction.Ipv6FromSubscriber p -> upstream(p.sessionId(), p.packet(), out);
        case AcAction.Ipv4Up up -> ipv4Up(up);
        case AcAction.Ipv4FromSubscriber p -> upstreamIpv4(p.sessionId(), p.packet(), out);
      }
    }
  }

  private void send(MemorySegment out, byte[] frame) {
    MemorySegment.copy(frame, 0, out, ValueLayout.JAVA_BYTE, 0, frame.length);
    try {
      if (!socket.send(out, frame.length)) drops.get(DropReason.SUBSCRIBER_WRITE).increment();
    } catch (Exception e) {
      drops.get(DropReason.SUBSCRIBER_WRITE).increment();
      log.atWarn().addKeyValue("error", e.toString()).log("pppoe send failed");
    }
  }

  private void authenticate(AcAction.Authenticate auth, MemorySegment out) {
    Subscriber s = subscribers.computeIfAbsent(auth.sessionId(), id -> new Subscriber(id, auth.client(), System.nanoTime()));
    s.username = auth.credentials().username();
    aaa.authenticate(s.caller(), auth.credentials()).whenComplete((result, error) -> inbox.add(() -> {
      Authorization r = error != null ? Authorization.reject("authentication service unavailable") : result;
      if (subscribers.get(auth.sessionId()) != s) return; // the session ended meanwhile
      (r.accepted() ? accepts : rejects).increment();
      if (r.accepted() && !assignPrefixes(s, r)) {
        r = Authorization.reject("no IPv6 prefix available");
      }
      s.authorization = r;
      net.tinyisp.ppp.ipcp.Ipv4Assignment ipv4 = r.accepted() && ipv4Pool != null ? assignIpv4(s, r) : null;
      apply(ac.authenticated(auth.sessionId(), r.accepted(), r.message(), ipv4, System.nanoTime()), out);
    }));
  }

  private boolean assignPrefixes(Subscriber s, Authorization r) {
    if (r.framedIpv6Prefix() != null) {
      s.link = r.framedIpv6Prefix();
      s.linkFromPool = linkPool.reserve(s.link);
    } else {
      s.link = linkPool.allocate();
      s.linkFromPool = s.link != null;
    }
    if (r.delegatedPrefix() != null) {
      s.delegated = r.delegatedPrefix();
      s.delegatedFromPool = delegationPool.reserve(s.delegated);
    } else {
      s.delegated = delegationPool.allocate();
      s.delegatedFromPool = s.delegated != null;
    }
    if (s.link == null || s.delegated == null) {
      releasePrefixes(s);
      return false;
    }
    return true;
  }

  private void releasePrefixes(Subscriber s) {
    if (s.link != null && s.linkFromPool) linkPool.release(s.link);
    if (s.delegated != null && s.delegatedFromPool) delegationPool.release(s.delegated);
    if (s.ipv4 != null) {
      ipv4Routes.remove(net.tinyisp.pppoe.ipv4.Ipv4Pool.toInt(s.ipv4.getAddress()), s.sessionId);
      if (s.ipv4FromPool) ipv4Pool.release(s.ipv4);
      s.ipv4 = null;
    }
  }

  /**
   * Dual-stack: RADIUS Framed-IP-Address if it sent one (RFC 2865 §5.8), else the next pool address. With none
   * left the session stays IPv6-only (IPCP Protocol-Rejected): IPv6 is the service, IPv4 the extra.
   */
  private net.tinyisp.ppp.ipcp.Ipv4Assignment assignIpv4(Subscriber s, Authorization r) {
    if (r.framedIpAddress() != null) {
      s.ipv4FromPool = ipv4Pool.reserve(r.framedIpAddress());
      // an address of our pool that another session holds (or the gateway) is not handed out twice
      s.ipv4 = s.ipv4FromPool || !ipv4Pool.contains(r.framedIpAddress()) ? r.framedIpAddress() : null;
    } else {
      s.ipv4 = ipv4Pool.allocate();
      s.ipv4FromPool = s.ipv4 != null;
    }
    if (s.ipv4 == null) {
      log.atWarn().addKeyValue("session", s.sessionId).addKeyValue("framed-ip", r.framedIpAddress())
          .log("no IPv4 address free for this session: it stays IPv6-only");
      return null;
    }
    List<java.net.Inet4Address> dns = config.ipv4DnsAddresses();
    return new net.tinyisp.ppp.ipcp.Ipv4Assignment(ipv4Pool.gateway(), s.ipv4, dns.isEmpty() ? null : dns.get(0),
        dns.size() < 2 ? null : dns.get(1));
  }

  private void ipv4Up(AcAction.Ipv4Up up) {
    Subscriber s = subscribers.get(up.sessionId());
    if (s == null || s.ipv4 == null) return;
    ipv4Routes.put(net.tinyisp.pppoe.ipv4.Ipv4Pool.toInt(s.ipv4.getAddress()), s.sessionId);
    log.atInfo().addKeyValue("session", s.sessionId).addKeyValue("user", s.username).addKeyValue("ipv4", s.ipv4.getHostAddress())
        .log("IPCP up");
  }

  /** An IPv4 packet from a dual-stack subscriber: counted with its IPv6 traffic, to the core if its source is its own. */
  private void upstreamIpv4(int sessionId, byte[] p, MemorySegment out) {
    Subscriber s = subscribers.get(sessionId);
    if (s == null || s.ipv4 == null || p.length < 20 || (p[0] & 0xf0) != 0x40) {
      drops.get(DropReason.PPP_PROTOCOL).increment();
      return;
    }
    s.inOctets.addAndGet(p.length);
    s.inPackets.incrementAndGet();
    s.lastTrafficNanos = System.nanoTime();
    if (net.tinyisp.pppoe.ipv4.Ipv4Pool.toInt(java.util.Arrays.copyOfRange(p, 12, 16)) != net.tinyisp.pppoe.ipv4.Ipv4Pool.toInt(s.ipv4.getAddress())) {
      drops.get(DropReason.SPOOFED_SOURCE).increment(); // BCP 38: only its own address leaves the subscriber
      return;
    }
    MssClamp.clamp(p, p.length, MssClamp.IPV4_MSS_ON_PPPOE);
    toCore(s, p, out);
  }

  /** The upload policer, then the TUN toward the core: what every subscriber packet that may leave goes through. */
  private void toCore(Subscriber s, byte[] p, MemorySegment out) {
    net.tinyisp.shaping.Policer policer = s.upPolicer;
    if (policer != null && !policer.conforms(p.length, System.nanoTime())) {
      drops.get(DropReason.POLICED_UPLOAD).increment();
      return;
    }
    try {
      // the control loop's frame buffer is free between sends and holds any packet up to the MRU (1492 < 2048):
      // no native allocation per packet (an Arena.ofAuto segment per packet cost about 7 µs/packet of TCP upload)
      MemorySegment.copy(p, 0, out, ValueLayout.JAVA_BYTE, 0, p.length);
      tun.queue(0).write(out, p.length);
    } catch (Exception e) {
      drops.get(DropReason.CORE_WRITE).increment();
    }
  }

  private void sessionUp(AcAction.SessionUp up, MemorySegment out) {
    Subscriber s = subscribers.get(up.sessionId());
    if (s == null) return;
    if (s.upNanos >= 0) {
      // IPv6CP opened again on a live session (RFC 1661 §4.1: a Configure-Request in Opened renegotiates, e.g. the
      // subscriber's retransmission when our Ack was slow): same session, same accounting; only re-announce the /64.
      // Before, this opened a second accounting session and the first one never got its Stop.
      s.peerInterfaceId = up.peerInterfaceId();
      sendRa(s, ALL_NODES, out);
      return;
    }
    long now = System.nanoTime();
    s.peerInterfaceId = up.peerInterfaceId();
    s.localInterfaceId = random.nextLong() & ~0x0200000000000000L | 1;
    s.upNanos = now;
    s.upEpochSeconds = System.currentTimeMillis() / 1000;
    s.acctSessionId = String.format("%08x%04x", s.upEpochSeconds, s.sessionId);
    s.multiSessionId = s.acctSessionId;
    s.periodStartNanos = now;
    s.dhcpv6 = new PrefixDelegation(s.delegated, config.dnsAddresses(), serverDuid, 3600, 7200);
    Authorization a = s.authorization;
    if (a.speedLimits() != null) {
      applyRates(s, a.speedLimits().download(), a.speedLimits().upload(), now);
    } else {
      applyRatesKbps(s, a.downKbps(), a.upKbps(), now);
    }
    routes.add(s.link, s.delegated, s.sessionId);
    sendRa(s, ALL_NODES, out);
    Integer interim = s.authorization.interimIntervalSeconds();
    if (interim != null && interim > 0) s.nextInterimNanos = now + Math.max(60, interim) * SECOND;
    aaa.accounting(new Aaa.AccountingEvent(Aaa.AccountingEvent.Kind.START, s.acctSessionId, s.multiSessionId,
        s.username, s.caller(), s.authorization, Aaa.Usage.ZERO, 0, null, s.link, s.delegated, s.ipv4));
    log.atInfo().addKeyValue("session", s.sessionId).addKeyValue("user", s.username).addKeyValue("link", s.link)
        .addKeyValue("pd", s.delegated).log("session up");
  }

  private void sessionDown(AcAction.SessionDown down) {
    Subscriber s = subscribers.remove(down.sessionId());
    if (s == null) return;
    routes.remove(s.link, s.delegated);
    java.net.Inet4Address ipv4 = s.ipv4;
    releasePrefixes(s);
    retired.add(s);
    if (s.upNanos >= 0) {
      long seconds = (System.nanoTime() - s.periodStartNanos) / SECOND;
      aaa.accounting(new Aaa.AccountingEvent(Aaa.AccountingEvent.Kind.STOP, s.acctSessionId, s.multiSessionId,
          s.username, s.caller(), s.authorization, s.periodUsage(s.usage()), seconds, down.cause(), s.link, s.delegated,
          ipv4));
    }
    log.atInfo().addKeyValue("session", s.sessionId).addKeyValue("user", s.username)
        .addKeyValue("cause", down.cause()).log("session down");
  }

  /**
   * The subscriber's speed limits (from RADIUS or a CoA): a policer on the upload here, and the download limit handed
   * to the core thread, which owns the shapers (a per-session tbf, or the session's class in the hierarchy with its
   * guaranteed rate and ceiling) and picks it up at its next turn. Null = unlimited.
   */
  private void applyRates(Subscriber s, net.tinyisp.shaping.SpeedLimits.DirectionLimit down,
      net.tinyisp.shaping.SpeedLimits.DirectionLimit up, long now) {
    applyRates(s, DownRate.of(down), up == null ? null : up.rateBps(), now);
  }

  /** Kbit/s from {@code set-rate}: a flat download rate (a higher ceiling from RADIUS stays), null = unlimited. */
  private void applyRatesKbps(Subscriber s, Long downKbps, Long upKbps, long now) {
    DownRate down = downKbps == null || downKbps <= 0 ? null : DownRate.flat(downKbps * 1000, s.wantedDown);
    applyRates(s, down, upKbps == null || upKbps <= 0 ? null : upKbps * 1000, now);
  }

  private void applyRates(Subscriber s, DownRate down, Long upBps, long now) {
    // the upload is policed, not shaped, and never borrows: packets from the subscriber have already crossed its
    // access link, so queueing them here would only add delay, and there is no uplink-side queue to share
    if (upBps == null) {
      s.upPolicer = null;
    } else if (s.upPolicer == null) {
      s.upPolicer = new net.tinyisp.shaping.Policer(upBps, DownstreamShaping.policerBurstFor(upBps), now);
    } else {
      s.upPolicer.setRate(upBps, DownstreamShaping.policerBurstFor(upBps), now);
    }
    s.wantedDown = down;
    s.downKbps = down == null ? null : down.rateBps() / 1000;
    s.upKbps = upBps == null ? null : upBps / 1000;
    reshaped.add(s);
  }

  private void sendRa(Subscriber s, byte[] destination, MemorySegment out) {
    RouterAdvertisement ra = new RouterAdvertisement(s.link, 1800, 1492, config.dnsAddresses(),
        config.pref64() == null ? null : IpPrefix.parse(config.pref64()), true);
    toSubscriber(s, ra.packet(s.localInterfaceId, destination), out);
    s.nextRaNanos = System.nanoTime() + RA_INTERVAL;
  }

  /** A packet from the subscriber: RS and DHCPv6 are ours; everything else goes to the core if its source is. */
  private void upstream(int sessionId, byte[] p, MemorySegment out) {
    Subscriber s = subscribers.get(sessionId);
    if (s == null || s.upNanos < 0 || p.length < 40 || (p[0] & 0xf0) != 0x60) {
      drops.get(DropReason.PPP_PROTOCOL).increment();
      return;
    }
    s.inOctets.addAndGet(p.length);
    s.inPackets.incrementAndGet();
    s.lastTrafficNanos = System.nanoTime();
    int next = p[6] & 0xff;
    boolean linkLocalSource = (p[8] & 0xff) == 0xfe && (p[9] & 0xc0) == 0x80;
    if (next == 58 && p.length >= 48 && (p[40] & 0xff) == 133) { // Router Solicitation
      sendRa(s, java.util.Arrays.copyOfRange(p, 8, 24), out);
      return;
    }
    if (next == 17 && p.length >= 48 && ((p[42] & 0xff) << 8 | p[43] & 0xff) == 547) { // DHCPv6 to the server port
      byte[] answer = s.dhcpv6.answer(java.util.Arrays.copyOfRange(p, 48, p.length));
      if (answer != null) toSubscriber(s, PrefixDelegation.packet(s.localInterfaceId, java.util.Arrays.copyOfRange(p, 8, 24), answer), out);
      return;
    }
    if (linkLocalSource || !routes.owns(sessionId, p, 8)) {
      drops.get(DropReason.SPOOFED_SOURCE).increment(); // BCP 38: only its own prefixes leave the subscriber
      return;
    }
    MssClamp.clamp(p, p.length, MssClamp.IPV6_MSS_ON_PPPOE);
    toCore(s, p, out);
  }

  private void toSubscriber(Subscriber s, byte[] ipv6, MemorySegment out) {
    sendDownstream(out, s, ipv6, ipv6.length);
  }

  /**
   * RFC 2516 §4 session frame around an IPv6 packet, written straight into the send buffer (no per-packet array):
   * Ethernet destination and source, ethertype 0x8864, VER/TYPE 0x11, CODE 0, SESSION_ID, LENGTH (the PPP payload
   * including its 2-byte protocol field), then the PPP protocol (0x0057 IPv6, 0x0021 IPv4) and the packet.
   */
  private int writeSessionFrame(MemorySegment out, Subscriber s, byte[] ipv6, int off, int len) {
    writeMac(out, 0, s.mac.value());
    writeMac(out, 6, ourMac.value());
    out.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x88);
    out.set(ValueLayout.JAVA_BYTE, 13, (byte) 0x64);
    out.set(ValueLayout.JAVA_BYTE, 14, (byte) 0x11);
    out.set(ValueLayout.JAVA_BYTE, 15, (byte) 0);
    out.set(ValueLayout.JAVA_BYTE, 16, (byte) (s.sessionId >> 8));
    out.set(ValueLayout.JAVA_BYTE, 17, (byte) s.sessionId);
    out.set(ValueLayout.JAVA_BYTE, 18, (byte) ((len + 2) >> 8));
    out.set(ValueLayout.JAVA_BYTE, 19, (byte) (len + 2));
    int protocol = (ipv6[off] & 0xf0) == 0x40 ? Protocols.IPV4 : Protocols.IPV6; // dual-stack: 0x0021 for IPv4
    out.set(ValueLayout.JAVA_BYTE, 20, (byte) (protocol >> 8));
    out.set(ValueLayout.JAVA_BYTE, 21, (byte) protocol);
    MemorySegment.copy(ipv6, off, out, ValueLayout.JAVA_BYTE, 22, len);
    return 22 + len;
  }

  private static void writeMac(MemorySegment out, long offset, long mac) {
    for (int i = 0; i < 6; i++) out.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (mac >>> (40 - 8 * i)));
  }

  /**
   * RFC 5176 on the NAS side: a CoA-Request with speed attributes changes the session's shaper and policer at once;
   * a Disconnect-Request ends the session (LCP Terminate, PADT, accounting Stop with Admin-Reset). Sessions are
   * found by Acct-Session-Id or User-Name; none found is a NAK with Error-Cause 503 Session-Context-Not-Found.
   */
  private net.tinyisp.radius.client.CoaListener.Decision dynamicAuthorization(
      net.tinyisp.radius.client.CoaListener.DynamicAuthorizationRequest request) {
    String user = request.first("User-Name");
    String acct = request.first("Acct-Session-Id");
    if (user == null && acct == null) return net.tinyisp.radius.client.CoaListener.Decision.nak(402); // Missing-Attribute
    if (match(user, acct).isEmpty()) return net.tinyisp.radius.client.CoaListener.Decision.nak(503);
    if (request.code() == net.tinyisp.radius.wire.Code.DISCONNECT_REQUEST) {
      for (Subscriber s : match(user, acct)) terminate(null, s.sessionId, TerminateCause.ADMIN_RESET);
      return net.tinyisp.radius.client.CoaListener.Decision.ack();
    }
    java.util.Map<String, String> attrs = new java.util.HashMap<>();
    request.attributes().forEach(nv -> attrs.putIfAbsent(nv.name(), nv.value()));
    net.tinyisp.shaping.SpeedLimits limits;
    try {
      limits = net.tinyisp.shaping.SpeedLimits.fromAttributes(attrs);
    } catch (IllegalArgumentException e) {
      return net.tinyisp.radius.client.CoaListener.Decision.nak(407); // Invalid-Attribute-Value
    }
    if (limits.download() == null && limits.upload() == null) {
      return net.tinyisp.radius.client.CoaListener.Decision.nak(401); // Unsupported-Attribute: nothing we can change
    }
    for (Subscriber s : match(user, acct)) {
      // a direction the CoA does not name keeps its rate: a CoA with only RP-Downstream-Speed-Limit changes the
      // download and leaves the upload policer as it was (it used to remove it)
      inbox.add(() -> applyRates(s,
          limits.download() != null ? DownRate.of(limits.download()) : s.wantedDown,
          limits.upload() != null ? Long.valueOf(limits.upload().rateBps())
              : s.upPolicer == null ? null : Long.valueOf(s.upPolicer.rateBps()),
          System.nanoTime()));
    }
    log.atInfo().addKeyValue("user", user).addKeyValue("acct-session-id", acct).log("CoA applied");
    return net.tinyisp.radius.client.CoaListener.Decision.ack();
  }

  private void housekeeping(long now, MemorySegment out) {
    try {
      long lost = socket.pollKernelDrops();
      if (lost > 0) drops.get(DropReason.RING_FULL).increment(lost);
    } catch (Exception e) {
      log.atWarn().addKeyValue("error", e.toString()).log("PACKET_STATISTICS failed");
    }
    if (nextCounterReset != null && !java.time.ZonedDateTime.now().isBefore(nextCounterReset)) {
      int n = resetCounters(null);
      log.atInfo().addKeyValue("sessions", n).log("scheduled counter reset");
      nextCounterReset = CronSchedule.parse(config.counterReset()).next(java.time.ZonedDateTime.now());
    }
    for (Subscriber s : List.copyOf(subscribers.values())) {
      if (s.upNanos < 0) continue;
      Authorization a = s.authorization;
      if (a.sessionTimeoutSeconds() != null && now - s.upNanos >= a.sessionTimeoutSeconds() * SECOND) {
        apply(ac.terminate(s.sessionId, TerminateCause.SESSION_TIMEOUT, now), out);
        continue;
      }
      if (a.idleTimeoutSeconds() != null && now - s.lastTrafficNanos >= a.idleTimeoutSeconds() * SECOND) {
        apply(ac.terminate(s.sessionId, TerminateCause.IDLE_TIMEOUT, now), out);
        continue;
      }
      if (s.nextRaNanos >= 0 && now >= s.nextRaNanos) sendRa(s, ALL_NODES, out);
      if (s.nextInterimNanos >= 0 && now >= s.nextInterimNanos) {
        s.nextInterimNanos = now + Math.max(60, a.interimIntervalSeconds()) * SECOND;
        aaa.accounting(new Aaa.AccountingEvent(Aaa.AccountingEvent.Kind.INTERIM, s.acctSessionId, s.multiSessionId,
            s.username, s.caller(), a, s.periodUsage(s.usage()), (now - s.periodStartNanos) / SECOND, null, s.link, s.delegated,
            s.ipv4));
      }
    }
  }

  // ------------------------------------------------------------------ core side

  private void coreLoop() {
    try (Arena arena = Arena.ofConfined()) {
      TunQueue q = tun.queue(0);
      MemorySegment in = arena.allocate(65536);
      MemorySegment out = arena.allocate(2048);
      byte[] buf = new byte[65536];
      DownstreamShaping.Sender sender = (s, packet, length) -> sendDownstream(out, s, packet, length);
      long nextRelease = Long.MAX_VALUE;
      while (running) {
        long now = System.nanoTime();
        int wait = nextRelease == Long.MAX_VALUE ? 100 : (int) Math.max(0, Math.min(100, (nextRelease - now + 999_999) / 1_000_000));
        if (q.pollIn(wait)) {
          int n;
          while ((n = q.read(in)) > 0) {
            MemorySegment.copy(in, ValueLayout.JAVA_BYTE, 0, buf, 0, n);
            boolean v4 = n >= 20 && (buf[0] & 0xf0) == 0x40;
            if (!v4 && (n < 40 || (buf[0] & 0xf0) != 0x60)) continue;
            int sessionId = v4 ? ipv4Routes.getOrDefault(
                (buf[16] & 0xff) << 24 | (buf[17] & 0xff) << 16 | (buf[18] & 0xff) << 8 | buf[19] & 0xff, -1)
                : routes.lookup(buf, 24);
            Subscriber s = sessionId < 0 ? null : subscribers.get(sessionId);
            if (s == null) {
              drops.get(DropReason.NO_ROUTE).increment();
              continue;
            }
            if (n > 1492) {
              drops.get(DropReason.TOO_BIG).increment(); // the TUN MTU is 1492, so only a misconfigured core gets here
              continue;
            }
            MssClamp.clampForPppoe(buf, n);
            now = System.nanoTime();
            shaping.adopt(s, now); // a session's first packet may come before the control loop's word
            if (!shaping.shapes(s)) {
              sendDownstream(out, s, buf, n);
            } else if (!shaping.enqueue(s, buf, n, now)) {
              drops.get(DropReason.SHAPED_DOWNLOAD).increment();
            }
          }
        }
        for (Subscriber changed; (changed = reshaped.poll()) != null; ) {
          shaping.adopt(changed, System.nanoTime()); // CoA and set-rate: the class changes live, queue kept
        }
        for (Subscriber gone; (gone = retired.poll()) != null; ) {
          shaping.forget(gone);
        }
        nextRelease = shaping.release(System.nanoTime(), sender);
      }
    } catch (Throwable t) {
      if (running) {
        failure = "core loop stopped: " + t;
        log.atError().setCause(t).log("pppoe core loop failed");
      }
    }
  }

  private void sendDownstream(MemorySegment out, Subscriber s, byte[] packet, int n) {
    try {
      int len = writeSessionFrame(out, s, packet, 0, n);
      // only what left counts toward Acct-Output-Octets (a full socket buffer is a drop, not traffic)
      if (!socket.send(out, len)) {
        drops.get(DropReason.SUBSCRIBER_WRITE).increment();
        return;
      }
      s.outOctets.addAndGet(n);
      s.outPackets.incrementAndGet();
    } catch (Exception e) {
      drops.get(DropReason.SUBSCRIBER_WRITE).increment();
    }
  }

  // ------------------------------------------------------------------ operations

  /** The session table, for {@code tinyisp pppoe sessions} and the admin API. */
  public List<SessionView> sessions() {
    long now = System.nanoTime();
    List<SessionView> out = new ArrayList<>();
    for (Subscriber s : subscribers.values()) {
      if (s.upNanos < 0) continue;
      Authorization a = s.authorization;
      out.add(new SessionView(s.sessionId, s.username, s.mac.toString(), String.valueOf(s.link), String.valueOf(s.delegated),
          s.downKbps, s.upKbps, (now - s.upNanos) / SECOND, s.inOctets.get(), s.outOctets.get(), s.inPackets.get(),
          s.outPackets.get(), s.acctSessionId));
    }
    out.sort(java.util.Comparator.comparingInt(SessionView::sessionId));
    return out;
  }

  /**
   * Changes the speed limits of live sessions (admin set-rate, RADIUS CoA) at once, on the control loop; kbit/s,
   * null = unlimited. Returns how many sessions matched.
   */
  public int setRate(String username, String acctSessionId, Long downKbps, Long upKbps) {
    List<Subscriber> matched = match(username, acctSessionId);
    for (Subscriber s : matched) {
      inbox.add(() -> applyRatesKbps(s, downKbps, upKbps, System.nanoTime()));
    }
    return matched.size();
  }

  /**
   * Counters reset without dropping anyone: each matching session closes its accounting period with a Stop that
   * carries the period's counters and opens a new one with a Start (new Acct-Session-Id, same
   * Acct-Multi-Session-Id). PPP and traffic carry on; the periods add up to what the session carried.
   */
  public int resetCounters(String username) {
    List<Subscriber> matched = match(username, null);
    for (Subscriber s : matched) {
      inbox.add(() -> newPeriod(s));
    }
    return matched.size();
  }

  private void newPeriod(Subscriber s) {
    if (subscribers.get(s.sessionId) != s || s.upNanos < 0) return;
    long now = System.nanoTime();
    Aaa.Usage total = s.usage();
    Aaa.AccountingEvent stop = new Aaa.AccountingEvent(Aaa.AccountingEvent.Kind.STOP, s.acctSessionId, s.multiSessionId,
        s.username, s.caller(), s.authorization, s.periodUsage(total), (now - s.periodStartNanos) / SECOND, null, s.link,
        s.delegated, s.ipv4);
    s.period++;
    s.periodBase = total;
    s.periodStartNanos = now;
    s.acctSessionId = s.multiSessionId + "-" + s.period;
    Aaa.AccountingEvent start = new Aaa.AccountingEvent(Aaa.AccountingEvent.Kind.START, s.acctSessionId,
        s.multiSessionId, s.username, s.caller(), s.authorization, Aaa.Usage.ZERO, 0, null, s.link, s.delegated, s.ipv4);
    // the new period's Start only after the server has the old period's Stop, so the records stay in order
    aaa.accounting(stop).whenComplete((v, e) -> aaa.accounting(start));
  }

  private List<Subscriber> match(String username, String acctSessionId) {
    return subscribers.values().stream().filter(s -> s.upNanos >= 0)
        .filter(s -> username == null && acctSessionId == null || username != null && username.equals(s.username)
            || acctSessionId != null && acctSessionId.equals(s.acctSessionId))
        .toList();
  }

  /** Ends sessions by user name or session ID (admin, RADIUS Disconnect-Request); returns how many. */
  public int terminate(String username, Integer sessionId, TerminateCause cause) {
    List<Integer> ids = subscribers.values().stream()
        .filter(s -> (sessionId != null && s.sessionId == sessionId) || (username != null && username.equals(s.username)))
        .map(s -> s.sessionId).toList();
    for (int id : ids) {
      inbox.add(() -> {
        try (Arena arena = Arena.ofConfined()) {
          apply(ac.terminate(id, cause, System.nanoTime()), arena.allocate(2048));
        }
      });
    }
    return ids.size();
  }

  @Override
  public synchronized void close() {
    if (!running && socket == null) return;
    // end every session properly: LCP Terminate + PADT, accounting Stop (RFC 2866 NAS-Reboot = NAS_REQUEST here)
    if (running && ac != null) {
      for (int id : List.copyOf(subscribers.keySet())) terminate(null, id, TerminateCause.NAS_REQUEST);
      long until = System.nanoTime() + 2 * SECOND;
      while (!subscribers.isEmpty() && System.nanoTime() < until) {
        try {
          TimeUnit.MILLISECONDS.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    running = false;
    if (coa != null) coa.close();
    join(control);
    join(core);
    if (socket != null) socket.close();
    if (tun != null) tun.close();
    socket = null;
    tun = null;
  }

  private static void join(Thread t) {
    if (t == null) return;
    try {
      t.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
