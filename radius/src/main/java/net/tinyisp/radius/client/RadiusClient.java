package net.tinyisp.radius.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import net.tinyisp.radius.wire.Authenticators;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.MalformedPacketException;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import net.tinyisp.radius.wire.UserPassword;

/**
 * A RADIUS client (the NAS side of RFC 2865/2866, and the CoA/Disconnect sender of RFC 5176): Message-Authenticator
 * on every request, retransmission with doubling timeouts, failover across servers in order, and verification of
 * the Response Authenticator and Message-Authenticator of every answer. A request is rebuilt for each server:
 * a fresh Identifier, authenticator and User-Password hidden with that server's secret. Blocking calls are meant
 * for virtual threads; one receive thread dispatches answers.
 */
public final class RadiusClient implements AutoCloseable {
  private final RadiusClientConfig config;
  private final DatagramChannel channel;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<PendingKey, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger(new SecureRandom().nextInt(256));
  /**
   * One permit per Identifier, per server address: RFC 2865 §3 allows 256 requests in flight to one server from one
   * source port. A request past those waits here, in arrival order, until an answer or a give-up frees one, rather
   * than scanning the Identifier space in a loop.
   */
  private final ConcurrentHashMap<InetSocketAddress, Semaphore> identifiers = new ConcurrentHashMap<>();
  private final AtomicLongArray deadUntil;
  private final Thread receiver;
  private volatile boolean closed;

  /** What to send; {@code password} (cleartext, may be null) is hidden per server as User-Password (§5.2). */
  public record Request(Code code, List<RawAttribute> attributes, byte[] password) {
    public Request {
      attributes = List.copyOf(attributes);
    }

    public Request(Code code, List<RawAttribute> attributes) {
      this(code, attributes, null);
    }
  }

  /**
   * A verified answer, the server that gave it, and the Request Authenticator it answers (needed to decrypt
   * encrypted reply attributes such as Tunnel-Password, RFC 2868 §3.5).
   */
  public record Response(RadiusPacket packet, RadiusClientConfig.Server server, int sends,
      byte[] requestAuthenticator) {
    public Code code() {
      return packet.knownCode();
    }
  }

  public RadiusClient(RadiusClientConfig config) throws IOException {
    this.config = config;
    boolean v6 = config.servers().get(0).address().address() instanceof java.net.Inet6Address;
    this.channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
    channel.bind(null);
    this.deadUntil = new AtomicLongArray(config.servers().size());
    this.receiver = Thread.ofPlatform().daemon().name("radius-client-rx").start(this::receiveLoop);
  }

  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  private record PendingKey(InetSocketAddress server, int identifier) {}

  private static PendingKey key(InetSocketAddress from, int id) {
    return new PendingKey(from, id);
  }

  private void receiveLoop() {
    while (!closed) {
      ByteBuffer buf = ByteBuffer.allocate(RadiusPacket.MAX_LENGTH);
      InetSocketAddress from;
      try {
        from = (InetSocketAddress) channel.receive(buf);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      if (buf.position() < RadiusPacket.HEADER_LENGTH) continue;
      byte[] data = Arrays.copyOf(buf.array(), buf.position());
      CompletableFuture<byte[]> f = pending.get(key(from, data[1] & 0xff));
      if (f != null) f.complete(data); // verified by the waiting sender, which knows the request
    }
  }

  /** Sends and waits for a verified answer, retransmitting and failing over; throws RadiusTimeoutException. */
  public Response send(Request request) throws IOException, InterruptedException {
    int n = config.servers().size();
    int start = firstLiveServer();
    List<String> tried = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      int i = (start + k) % n;
      RadiusClientConfig.Server server = config.servers().get(i);
      Response r = sendTo(server, request);
      if (r != null) {
        deadUntil.set(i, 0);
        return r;
      }
      deadUntil.set(i, System.nanoTime() + config.deadServerHold().toNanos());
      tried.add(server.address().toString());
    }
    throw new RadiusTimeoutException("no answer from " + String.join(", ", tried));
  }

  private int firstLiveServer() {
    long now = System.nanoTime();
    for (int i = 0; i < deadUntil.length(); i++) {
      long d = deadUntil.get(i);
      if (d == 0 || now - d > 0) return i;
    }
    return 0;
  }

  private Response sendTo(RadiusClientConfig.Server server, Request request)
      throws IOException, InterruptedException {
    InetSocketAddress to = server.address().socketAddress();
    byte[] secret = server.secret();
    int id;
    PendingKey key;
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    Semaphore ids = identifiers.computeIfAbsent(to, a -> new Semaphore(256, true));
    ids.acquire();
    // holding a permit, at most 255 other Identifiers to this server are taken: one of the next 256 is free
    do {
      id = nextId.getAndIncrement() & 0xff;
      key = key(to, id);
    } while (pending.putIfAbsent(key, future) != null);
    try {
      byte[] auth = new byte[16];
      random.nextBytes(auth);
      List<RawAttribute> attrs = new ArrayList<>(request.attributes());
      if (request.password() != null) {
        attrs.add(new RawAttribute(StandardTypes.USER_PASSWORD, UserPassword.hide(request.password(), secret, auth)));
      }
      byte[] wire = Authenticators.encodeRequest(new RadiusPacket(request.code(), id, auth, attrs), secret, true);
      byte[] requestAuth = Arrays.copyOfRange(wire, 4, 20);
      long timeout = config.initialTimeout().toNanos();
      for (int attempt = 1; attempt <= config.attemptsPerServer(); attempt++) {
        channel.send(ByteBuffer.wrap(wire), to); // RFC 5080 §2.2.1: retransmit the same octets
        long deadline = System.nanoTime() + timeout;
        while (true) {
          long left = deadline - System.nanoTime();
          if (left <= 0) break;
          byte[] answer;
          try {
            answer = future.get(left, TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            break;
          } catch (ExecutionException e) {
            throw new IOException(e.getCause());
          }
          RadiusPacket p = verify(answer, request.code(), requestAuth, secret);
          if (p != null) return new Response(p, server, attempt, requestAuth);
          future = new CompletableFuture<>(); // a forged or corrupt answer: keep waiting for the real one
          pending.put(key, future);
        }
        timeout = Math.min(timeout * 2, config.maxTimeout().toNanos());
      }
      return null;
    } finally {
      pending.remove(key);
      ids.release();
    }
  }

  private RadiusPacket verify(byte[] answer, Code requestCode, byte[] requestAuth, byte[] secret) {
    RadiusPacket p;
    try {
      p = RadiusPacket.parse(answer);
    } catch (MalformedPacketException e) {
      return null;
    }
    int len = p.wireLength();
    if (!Authenticators.verifyResponseAuthenticator(answer, len, requestAuth, secret)) return null;
    Authenticators.Check ma = Authenticators.checkResponseMessageAuthenticator(answer, len, requestAuth, secret);
    if (ma == Authenticators.Check.INVALID) return null;
    boolean accessAnswer = requestCode == Code.ACCESS_REQUEST || requestCode == Code.STATUS_SERVER;
    if (ma == Authenticators.Check.ABSENT && accessAnswer && config.requireMessageAuthenticator()) return null;
    return p;
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    receiver.interrupt();
  }
}
