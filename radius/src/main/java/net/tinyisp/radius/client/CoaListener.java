package net.tinyisp.radius.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.ClientTable;
import net.tinyisp.radius.server.DuplicateCache;
import net.tinyisp.radius.server.NasClient;
import net.tinyisp.radius.wire.Authenticators;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.MalformedPacketException;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;

/**
 * The NAS side of RFC 5176: listens (port 3799 by default) for CoA-Request and Disconnect-Request from known
 * Dynamic Authorization Clients, checks the Request Authenticator (§2.3) and the Message-Authenticator (required
 * unless the client is configured otherwise), hands each request to a {@link Handler} on a virtual thread, and
 * answers ACK, or NAK with an Error-Cause (§3.5). Retransmissions get the cached answer.
 */
public final class CoaListener implements Service {
  public static final int DEFAULT_PORT = 3799;

  /** A verified request: code, decoded attributes, raw packet and the sender. */
  public record DynamicAuthorizationRequest(Code code, List<AttributeCodec.NamedValue> attributes,
      RadiusPacket packet, InetSocketAddress source) {
    public String first(String name) {
      for (AttributeCodec.NamedValue nv : attributes) if (nv.name().equalsIgnoreCase(name)) return nv.value();
      return null;
    }
  }

  /** ACK, or NAK with an RFC 5176 §3.5 Error-Cause (e.g. 503 Session-Context-Not-Found). */
  public record Decision(boolean acknowledged, int errorCause) {
    public static Decision ack() {
      return new Decision(true, 0);
    }

    public static Decision nak(int errorCause) {
      return new Decision(false, errorCause);
    }
  }

  @FunctionalInterface
  public interface Handler {
    Decision handle(DynamicAuthorizationRequest request);
  }

  private final HostPort listen;
  private final ClientTable clients;
  private final AttributeCodec codec;
  private final Handler handler;
  private final DuplicateCache duplicates = new DuplicateCache(TimeUnit.SECONDS.toNanos(30), 100_000);
  private final AtomicLong dropped = new AtomicLong();
  private DatagramChannel channel;
  private ExecutorService workers;
  private Thread receiver;
  private volatile boolean closed;

  public CoaListener(HostPort listen, List<NasClient> clients, Dictionary dictionary, Handler handler) {
    this.listen = listen;
    this.clients = new ClientTable(clients);
    this.codec = new AttributeCodec(dictionary);
    this.handler = handler;
  }

  @Override
  public String name() {
    return "radius-coa";
  }

  @Override
  public void start() throws IOException {
    channel = DatagramChannel.open(listen.address() instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6
        : StandardProtocolFamily.INET);
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
    channel.bind(listen.socketAddress());
    workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("radius-coa-", 0).factory());
    receiver = Thread.ofPlatform().daemon().name("radius-coa-rx").start(this::receiveLoop);
  }

  public InetSocketAddress address() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /** Datagrams discarded: malformed, unknown sender, bad authenticators, other codes. */
  public long dropped() {
    return dropped.get();
  }

  private void receiveLoop() {
    while (!closed) {
      ByteBuffer buf = ByteBuffer.allocate(RadiusPacket.MAX_LENGTH);
      InetSocketAddress src;
      try {
        src = (InetSocketAddress) channel.receive(buf);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      byte[] data = buf.array();
      int len = buf.position();
      try {
        workers.execute(() -> handle(data, len, src));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
  }

  private void handle(byte[] data, int len, InetSocketAddress src) {
    RadiusPacket req;
    try {
      req = RadiusPacket.parse(data, 0, len);
    } catch (MalformedPacketException e) {
      dropped.incrementAndGet();
      return;
    }
    NasClient client = clients.find(src.getAddress());
    Code code = req.knownCode();
    if (client == null || (code != Code.COA_REQUEST && code != Code.DISCONNECT_REQUEST)) {
      dropped.incrementAndGet();
      return;
    }
    byte[] secret = client.secretUnsafe();
    int wireLen = req.wireLength();
    Authenticators.Check ma = Authenticators.checkRequestMessageAuthenticator(data, wireLen, secret);
    if (!Authenticators.verifyComputedRequestAuthenticator(data, wireLen, secret)
        || ma == Authenticators.Check.INVALID
        || (ma == Authenticators.Check.ABSENT && client.requireMessageAuthenticator())) {
      dropped.incrementAndGet();
      return;
    }
    DuplicateCache.Key key = DuplicateCache.Key.of(src, req.identifier(), data);
    DuplicateCache.Entry seen = duplicates.claim(key, System.nanoTime());
    if (seen != null) {
      if (seen.reply != null) send(seen.reply, src);
      return;
    }
    Decision d;
    try {
      d = handler.handle(new DynamicAuthorizationRequest(code, codec.decode(req), req, src));
    } catch (RuntimeException e) {
      d = Decision.nak(506); // Resources-Unavailable (RFC 5176 §3.5)
    }
    Code answer = code == Code.COA_REQUEST ? (d.acknowledged() ? Code.COA_ACK : Code.COA_NAK)
        : (d.acknowledged() ? Code.DISCONNECT_ACK : Code.DISCONNECT_NAK);
    List<RawAttribute> attrs = new ArrayList<>();
    if (!d.acknowledged() && d.errorCause() > 0) {
      int c = d.errorCause();
      attrs.add(new RawAttribute(StandardTypes.ERROR_CAUSE, new byte[] {(byte) (c >>> 24), (byte) (c >>> 16),
          (byte) (c >>> 8), (byte) c}));
    }
    attrs.addAll(req.all(StandardTypes.PROXY_STATE));
    byte[] out = Authenticators.encodeResponse(new RadiusPacket(answer, req.identifier(), new byte[16], attrs),
        req.code(), req.authenticator(), secret, true);
    duplicates.complete(key, out);
    send(out, src);
  }

  private void send(byte[] wire, InetSocketAddress to) {
    try {
      channel.send(ByteBuffer.wrap(wire), to);
    } catch (IOException ignored) {
      // the sender retransmits
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (channel != null) channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    if (workers != null) workers.shutdownNow();
  }
}
