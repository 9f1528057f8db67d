package net.tinyisp.dns.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.upstream.NettyTransport;
import net.tinyisp.dns.upstream.Upstream;
import net.tinyisp.dns.upstream.UpstreamException;
import net.tinyisp.dns.upstream.UpstreamException.Reason;
import org.xbill.DNS.Message;

/**
 * A DoT upstream (RFC 7858) over one reused, pipelined TLS connection: every query gets a fresh random ID that is
 * unique among those in flight (RFC 7766 §7: answers may come in any order and are matched by ID), reconnecting
 * after the server closes an idle connection.
 */
public final class DotUpstream implements Upstream {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final UpstreamUrl url;
  private final InetAddress bootstrap;
  private final SslContext tls;
  private final NettyTransport transport;
  private final long timeoutMs;
  private final Consumer<DropReason> drops;
  private Future<Channel> connection; // guarded by this

  private record Pending(Message query, CompletableFuture<Message> result) {}

  public DotUpstream(UpstreamUrl url, InetAddress bootstrap, SslContext tls, NettyTransport transport, long timeoutMs,
      Consumer<DropReason> drops) {
    this.url = url;
    this.bootstrap = bootstrap;
    this.tls = tls;
    this.transport = transport;
    this.timeoutMs = timeoutMs;
    this.drops = drops;
  }

  @Override
  public String name() {
    return url.toString();
  }

  @Override
  public CompletionStage<Message> query(Message query) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    connection().addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new UpstreamException(Reason.TRANSPORT, name() + ": " + f.cause().getMessage(),
            f.cause()));
        return;
      }
      Channel ch = (Channel) f.getNow();
      ch.eventLoop().execute(() -> ch.pipeline().get(Connection.class).send(ch, query, result));
    });
    return result;
  }

  private synchronized Future<Channel> connection() {
    if (connection != null && (!connection.isDone() || (connection.isSuccess() && connection.getNow().isActive()))) {
      return connection;
    }
    Promise<Channel> p = transport.group().next().newPromise();
    connection = p;
    InetSocketAddress target;
    try {
      target = new InetSocketAddress(bootstrap != null ? bootstrap : InetAddress.getByName(url.host()), url.port());
    } catch (java.net.UnknownHostException e) {
      p.setFailure(e);
      return p;
    }
    ChannelFuture cf = new Bootstrap().group(transport.group()).channel(transport.socket())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeoutMs, Integer.MAX_VALUE))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc(), url.host(), url.port()),
                new LengthFieldBasedFrameDecoder(2 + 65535, 0, 2, 0, 2), new Connection());
          }
        })
        .connect(target);
    cf.addListener(c -> {
      if (c.isSuccess()) {
        p.trySuccess(cf.channel());
      } else {
        p.tryFailure(c.cause());
      }
    });
    return p;
  }

  /** Queries in flight on one connection, by the ID we gave them. Event-loop confined. */
  private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
    private final Map<Integer, Pending> inFlight = new HashMap<>();

    void send(Channel ch, Message query, CompletableFuture<Message> result) {
      if (!ch.isActive()) {
        result.completeExceptionally(new UpstreamException(Reason.TRANSPORT, name() + ": connection closed"));
        return;
      }
      if (inFlight.size() >= 65536 / 2) {
        result.completeExceptionally(new UpstreamException(Reason.UNAVAILABLE, name() + ": too many in flight"));
        return;
      }
      int id;
      do {
        id = RANDOM.nextInt(65536);
      } while (inFlight.containsKey(id));
      Message q = query.clone();
      q.getHeader().setID(id);
      byte[] wire = q.toWire();
      int key = id;
      inFlight.put(key, new Pending(q, result));
      ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> {
        Pending gone = inFlight.remove(key);
        if (gone != null) {
          gone.result().completeExceptionally(new UpstreamException(Reason.TIMEOUT, name() + ": no answer in "
              + timeoutMs + " ms"));
        }
      }, timeoutMs, TimeUnit.MILLISECONDS);
      result.whenComplete((m, e) -> timer.cancel(false));
      ByteBuf out = ch.alloc().buffer(2 + wire.length);
      out.writeShort(wire.length).writeBytes(wire);
      ch.writeAndFlush(out);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      byte[] bytes = new byte[frame.readableBytes()];
      frame.readBytes(bytes);
      if (bytes.length < 12) {
        drops.accept(DropReason.UPSTREAM_MALFORMED);
        ctx.close(); // framing can no longer be trusted
        return;
      }
      int id = (bytes[0] & 0xff) << 8 | (bytes[1] & 0xff);
      Pending p = inFlight.get(id);
      if (p == null) {
        drops.accept(DropReason.UPSTREAM_WRONG_ID);
        return;
      }
      Message answer;
      try {
        answer = new Message(bytes);
      } catch (Exception e) {
        inFlight.remove(id);
        drops.accept(DropReason.UPSTREAM_MALFORMED);
        p.result().completeExceptionally(new UpstreamException(Reason.MALFORMED, name() + ": answer does not parse"));
        return;
      }
      DropReason lie = AnswerCheck.verify(p.query(), answer);
      if (lie != null) {
        drops.accept(lie);
        return; // keep waiting: the real answer may still come (RFC 5452 §9.1)
      }
      inFlight.remove(id);
      p.result().complete(answer);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      for (Pending p : inFlight.values()) {
        p.result().completeExceptionally(new UpstreamException(Reason.TRANSPORT, name() + ": connection closed"));
      }
      inFlight.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null && connection.isSuccess()) {
      connection.getNow().close();
    }
  }
}
