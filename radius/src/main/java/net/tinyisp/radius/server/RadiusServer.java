package net.tinyisp.radius.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.common.net.AddressText;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.wire.Authenticators;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.MalformedPacketException;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RADIUS server: an authentication listener (RFC 2865, Status-Server RFC 5997) and an accounting listener
 * (RFC 2866). Each listener has one platform thread that only receives datagrams into fresh buffers and hands them
 * to a virtual thread, so a slow user lookup or an accounting commit never stops the receive loop. Every reply
 * carries Message-Authenticator as its first attribute; Access-Requests without a valid one are dropped unless the
 * client is configured otherwise (BlastRADIUS, CVE-2024-3596).
 */
public final class RadiusServer implements Service {
  private static final Logger log = LoggerFactory.getLogger(RadiusServer.class);

  private enum Port { AUTH, ACCT }

  private final RadiusServerConfig config;
  private final ClientTable clients;
  private final AttributeCodec codec;
  private final AccessPolicy policy;
  private final AuthBackend backend;
  private final AccountingSink sink;
  private final RadiusMetrics metrics;
  private final Clock clock;
  private final DuplicateCache duplicates;
  private final Semaphore inFlight;
  private final List<DatagramChannel> channels = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private ExecutorService workers;
  private volatile InetSocketAddress authBound;
  private volatile InetSocketAddress acctBound;
  private volatile boolean closed;

  public RadiusServer(RadiusServerConfig config, Dictionary dictionary, AuthBackend backend, AccountingSink sink,
      Metrics metrics) {
    this(config, dictionary, backend, sink, metrics, Clock.systemUTC());
  }

  public RadiusServer(RadiusServerConfig config, Dictionary dictionary, AuthBackend backend, AccountingSink sink,
      Metrics metrics, Clock clock) {
    this.config = config;
    this.clients = new ClientTable(config.clients().stream().map(RadiusServerConfig.Client::toNasClient).toList());
    this.codec = new AttributeCodec(dictionary);
    this.policy = new AccessPolicy(codec);
    this.backend = backend;
    this.sink = sink;
    this.metrics = new RadiusMetrics(metrics.registry());
    this.clock = clock;
    this.duplicates = new DuplicateCache(TimeUnit.SECONDS.toNanos(config.duplicateWindowSeconds()), 1 << 20);
    this.inFlight = new Semaphore(config.maxInFlight());
  }

  @Override
  public String name() {
    return "radius";
  }

  @Override
  public void start() throws IOException {
    workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("radius-worker-", 0).factory());
    try {
      if (config.authAddress() != null) authBound = open(config.authAddress(), Port.AUTH);
      if (config.acctAddress() != null) acctBound = open(config.acctAddress(), Port.ACCT);
    } catch (IOException e) {
      close();
      throw e;
    }
    Thread sweeper = Thread.ofPlatform().daemon().name("radius-dup-expiry").start(() -> {
      while (!closed) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
        duplicates.expire(System.nanoTime());
      }
    });
    threads.add(sweeper);
  }

  /**
   * Binds {@code receiveThreads} sockets to the same address with SO_REUSEPORT, one receive thread each; the kernel
   * spreads NASes over them by address hash, so the work spreads over cores without a hand-off.
   */
  private InetSocketAddress open(HostPort at, Port port) throws IOException {
    InetSocketAddress bound = null;
    for (int i = 0; i < config.receiveThreads(); i++) {
      InetSocketAddress b = openOne(bound == null ? at.socketAddress() : bound, port, i, config.receiveThreads() > 1);
      if (bound == null) bound = b;
    }
    log.info("radius {} listening on {} ({} receive threads)", port.name().toLowerCase(), bound,
        config.receiveThreads());
    return bound;
  }

  private InetSocketAddress openOne(InetSocketAddress at, Port port, int index, boolean reusePort)
      throws IOException {
    DatagramChannel ch = DatagramChannel.open(at.getAddress() instanceof java.net.Inet6Address
        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    channels.add(ch);
    ch.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
    ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
    if (reusePort) ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    try {
      ch.bind(at);
    } catch (IOException e) {
      throw new IOException("radius " + port.name().toLowerCase() + " listener: cannot bind " + at + ": "
          + e.getMessage(), e);
    }
    int got = ch.getOption(StandardSocketOptions.SO_RCVBUF);
    if (got < config.receiveBufferBytes() && index == 0) {
      log.warn("radius {}: receive buffer is {} bytes, asked for {}; raise net.core.rmem_max", port, got,
          config.receiveBufferBytes());
    }
    InetSocketAddress bound = (InetSocketAddress) ch.getLocalAddress();
    threads.add(Thread.ofPlatform().daemon().name("radius-" + port.name().toLowerCase() + "-rx-" + index)
        .start(() -> receiveLoop(ch, port)));
    return bound;
  }

  /** The bound authentication address (with the real port when configured with port 0), or null. */
  public InetSocketAddress authAddress() {
    return authBound;
  }

  public InetSocketAddress acctAddress() {
    return acctBound;
  }

  private void receiveLoop(DatagramChannel ch, Port port) {
    byte[] buf = new byte[RadiusPacket.MAX_LENGTH];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    while (!closed) {
      bb.clear();
      InetSocketAddress src;
      try {
        src = (InetSocketAddress) ch.receive(bb);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) return;
        log.warn("radius {} receive failed: {}", port, e.toString());
        continue;
      }
      try {
        handle(ch, port, buf, bb.position(), src);
      } catch (RuntimeException e) {
        log.error("radius {}: request from {} failed", port, src, e);
      }
    }
  }

  /**
   * Runs on a receive thread and never blocks: parsing, client lookup, authenticator checks and the duplicate cache
   * happen here; a lookup that may block goes to a virtual thread, and accounting continues when the sink has
   * committed. The receive buffer is reused, so nothing here keeps a reference to it.
   */
  private void handle(DatagramChannel ch, Port port, byte[] buf, int len, InetSocketAddress src) {
    RadiusPacket req;
    try {
      req = RadiusPacket.parse(buf, 0, len);
    } catch (MalformedPacketException e) {
      metrics.drop(DropReason.MALFORMED);
      log.debug("radius {}: malformed datagram from {}: {}", port, src, e.getMessage());
      return;
    }
    NasClient client = clients.find(src.getAddress());
    if (client == null) {
      metrics.drop(DropReason.UNKNOWN_CLIENT);
      log.debug("radius {}: datagram from unknown client {}", port, src);
      return;
    }
    Code code = req.knownCode();
    metrics.request(code);
    byte[] secret = client.secretUnsafe();
    int wireLen = req.wireLength(); // padding past Length is not part of the packet (RFC 2865 §3)
    boolean ok = switch (code) {
      case STATUS_SERVER -> checkMessageAuthenticator(buf, wireLen, secret, true);
      case ACCESS_REQUEST -> port == Port.AUTH
          && checkMessageAuthenticator(buf, wireLen, secret, client.requireMessageAuthenticator());
      case ACCOUNTING_REQUEST -> port == Port.ACCT && checkAccountingAuthenticators(buf, wireLen, secret);
      case null, default -> {
        metrics.drop(DropReason.UNEXPECTED_CODE);
        yield false;
      }
    };
    if (!ok) {
      if ((code == Code.ACCESS_REQUEST && port != Port.AUTH) || (code == Code.ACCOUNTING_REQUEST
          && port != Port.ACCT)) {
        metrics.drop(DropReason.UNEXPECTED_CODE);
      }
      return;
    }
    if (code == Code.STATUS_SERVER) {
      // RFC 5997 §3: answered from the server's own state, never from the duplicate cache
      Code answer = port == Port.AUTH ? Code.ACCESS_ACCEPT : Code.ACCOUNTING_RESPONSE;
      send(ch, src, reply(req, answer, List.of(), secret));
      return;
    }
    DuplicateCache.Key key = DuplicateCache.Key.of(src, req.identifier(), buf);
    DuplicateCache.Entry seen = duplicates.claim(key, System.nanoTime());
    if (seen != null) {
      byte[] cached = seen.reply;
      if (cached == null) {
        metrics.drop(DropReason.DUPLICATE_IN_PROGRESS);
      } else {
        metrics.duplicatesAnswered.increment();
        send(ch, src, cached);
      }
      return;
    }
    if (code == Code.ACCESS_REQUEST) {
      if (!backend.mayBlock()) {
        finish(ch, src, key, access(req, client));
        return;
      }
      if (!inFlight.tryAcquire()) {
        overloaded(key);
        return;
      }
      try {
        workers.execute(() -> {
          try {
            finish(ch, src, key, access(req, client));
          } finally {
            inFlight.release();
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        inFlight.release(); // closing
      }
    } else {
      accounting(ch, req, src, client, key);
    }
  }

  private void overloaded(DuplicateCache.Key key) {
    metrics.drop(DropReason.OVERLOADED);
    duplicates.forget(key);
  }

  private void finish(DatagramChannel ch, InetSocketAddress src, DuplicateCache.Key key, byte[] out) {
    if (out == null) {
      duplicates.forget(key);
      return;
    }
    duplicates.complete(key, out);
    send(ch, src, out);
  }

  private boolean checkMessageAuthenticator(byte[] buf, int len, byte[] secret, boolean required) {
    Authenticators.Check c = Authenticators.checkRequestMessageAuthenticator(buf, len, secret);
    if (c == Authenticators.Check.INVALID) {
      metrics.drop(DropReason.BAD_MESSAGE_AUTHENTICATOR);
      return false;
    }
    if (c == Authenticators.Check.ABSENT && required) {
      metrics.drop(DropReason.MISSING_MESSAGE_AUTHENTICATOR);
      return false;
    }
    return true;
  }

  private boolean checkAccountingAuthenticators(byte[] buf, int len, byte[] secret) {
    if (!Authenticators.verifyComputedRequestAuthenticator(buf, len, secret)) {
      metrics.drop(DropReason.BAD_REQUEST_AUTHENTICATOR);
      return false;
    }
    if (Authenticators.checkRequestMessageAuthenticator(buf, len, secret) == Authenticators.Check.INVALID) {
      metrics.drop(DropReason.BAD_MESSAGE_AUTHENTICATOR);
      return false;
    }
    return true;
  }

  private byte[] access(RadiusPacket req, NasClient client) {
    byte[] secret = client.secretUnsafe();
    String user = AccessPolicy.userName(req);
    AccessPolicy.Outcome outcome;
    if (user == null) {
      outcome = new AccessPolicy.Reject(RejectReason.NO_USER_NAME);
    } else {
      Optional<AuthAccount> account;
      try {
        account = backend.find(user);
      } catch (RuntimeException e) {
        metrics.drop(DropReason.BACKEND_FAILED);
        log.warn("radius: lookup of user '{}' failed: {}", user, e.toString());
        return null;
      }
      outcome = policy.decide(req, secret, account);
    }
    return switch (outcome) {
      case AccessPolicy.Accept a -> reply(req, Code.ACCESS_ACCEPT, a.attributes(), secret);
      case AccessPolicy.Reject r -> {
        metrics.reject(r.reason());
        if (r.detail() != null) log.warn("radius: Access-Reject: {}", r.detail());
        yield reply(req, Code.ACCESS_REJECT, List.of(), secret);
      }
    };
  }

  /** RFC 2866 §2: the Accounting-Response goes out only after the sink has committed the record. */
  private void accounting(DatagramChannel ch, RadiusPacket req, InetSocketAddress src, NasClient client,
      DuplicateCache.Key key) {
    Map<String, List<String>> attrs = new LinkedHashMap<>();
    for (AttributeCodec.NamedValue nv : codec.decode(req)) {
      if (nv.name().equals("Message-Authenticator")) continue;
      attrs.computeIfAbsent(nv.name(), k -> new ArrayList<>(1)).add(nv.value());
    }
    RawAttribute st = req.first(StandardTypes.ACCT_STATUS_TYPE);
    if (st == null || st.wireLength() != 6) {
      metrics.drop(DropReason.MISSING_STATUS_TYPE);
      duplicates.forget(key);
      return;
    }
    List<String> statusValues = attrs.get("Acct-Status-Type");
    String status = statusValues == null ? null : statusValues.get(0);
    AccountingRecord record = new AccountingRecord(clock.instant(), AddressText.format(src.getAddress()
        .getAddress()), status, attrs);
    if (!inFlight.tryAcquire()) {
      overloaded(key);
      return;
    }
    java.util.concurrent.CompletableFuture<Void> committed;
    try {
      committed = sink.recordAsync(record);
    } catch (RuntimeException e) {
      committed = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    committed.whenComplete((ok, failure) -> {
      try {
        if (failure != null) {
          metrics.drop(DropReason.SINK_FAILED);
          log.warn("radius: accounting record from {} not committed: {}", src, failure.toString());
          duplicates.forget(key);
        } else {
          metrics.accountingRecorded.increment();
          finish(ch, src, key, reply(req, Code.ACCOUNTING_RESPONSE, List.of(), client.secretUnsafe()));
        }
      } finally {
        inFlight.release();
      }
    });
  }

  /** A signed reply: Message-Authenticator first, then the given attributes, then Proxy-State copies (RFC 2865 §5.33). */
  private byte[] reply(RadiusPacket req, Code code, List<RawAttribute> attributes, byte[] secret) {
    List<RawAttribute> attrs = new ArrayList<>(attributes);
    attrs.addAll(req.all(StandardTypes.PROXY_STATE));
    RadiusPacket p = new RadiusPacket(code, req.identifier(), new byte[16], attrs);
    return Authenticators.encodeResponse(p, req.code(), req.authenticator(), secret, true);
  }

  private void send(DatagramChannel ch, InetSocketAddress to, byte[] wire) {
    try {
      ch.send(ByteBuffer.wrap(wire), to);
      metrics.response(Code.of(wire[0] & 0xff));
    } catch (IOException e) {
      if (!closed) log.warn("radius: send to {} failed: {}", to, e.toString());
    }
  }

  @Override
  public Health health() {
    if (closed) return Health.down("closed");
    for (Thread t : threads) if (!t.isAlive()) return Health.down(t.getName() + " stopped");
    return Health.ok();
  }

  @Override
  public void close() {
    closed = true;
    for (DatagramChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    for (Thread t : threads) t.interrupt();
    if (workers != null) {
      workers.shutdown();
      try {
        workers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
