package net.tinyisp.dns.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.doh.DohRequest;
import net.tinyisp.dns.upstream.NettyTransport;
import net.tinyisp.dns.upstream.Upstream;
import net.tinyisp.dns.upstream.UpstreamException;
import net.tinyisp.dns.upstream.UpstreamException.Reason;
import org.xbill.DNS.Message;

/**
 * A DoH upstream (RFC 8484 §4.1, POST) over one reused HTTP/2 connection: each query is one stream, many in
 * flight at once. The connection is opened on first use and again after it closes. The query goes out with ID 0
 * (RFC 8484 §4.1: cache friendly), the caller puts its client's ID back.
 */
public final class DohUpstream implements Upstream {
  private final UpstreamUrl url;
  private final InetAddress bootstrap;
  private final SslContext tls;
  private final NettyTransport transport;
  private final long timeoutMs;
  private final Consumer<DropReason> drops;
  private Future<Channel> connection; // guarded by this
  private static final AttributeKey<Boolean> GOING_AWAY = AttributeKey.valueOf("tinyisp.doh.goaway");

  /**
   * @param bootstrap the address to connect to instead of resolving {@code url.host()} (the proxy may be the
   *     system's only resolver); null to resolve it, which a literal host never needs
   */
  public DohUpstream(UpstreamUrl url, InetAddress bootstrap, SslContext tls, NettyTransport transport, long timeoutMs,
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
    Message q = query.clone();
    q.getHeader().setID(0);
    byte[] wire = q.toWire();
    parent().addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new UpstreamException(Reason.TRANSPORT, name() + ": " + f.cause().getMessage(),
            f.cause()));
        return;
      }
      Channel parent = (Channel) f.getNow();
      new Http2StreamChannelBootstrap(parent).handler(new StreamHandler(q, result)).open().addListener(s -> {
        if (!s.isSuccess()) {
          // e.g. after the server's GOAWAY (idle close): drop this connection so the retry opens a new one
          parent.close();
          result.completeExceptionally(new UpstreamException(Reason.TRANSPORT, name() + ": no stream: "
              + s.cause().getMessage(), s.cause()));
          return;
        }
        send((Http2StreamChannel) s.getNow(), wire, result);
      });
    });
    return result;
  }

  private void send(Http2StreamChannel stream, byte[] wire, CompletableFuture<Message> result) {
    Http2Headers h = new DefaultHttp2Headers()
        .method("POST")
        .scheme("https")
        .authority(url.authority())
        .path(url.path())
        .set("accept", DohRequest.DNS_MESSAGE)
        .set("content-type", DohRequest.DNS_MESSAGE)
        .setInt("content-length", wire.length);
    ScheduledFuture<?> timer = stream.eventLoop().schedule(() -> {
      if (result.completeExceptionally(new UpstreamException(Reason.TIMEOUT, name() + ": no answer in "
          + timeoutMs + " ms"))) {
        stream.close();
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
    result.whenComplete((m, e) -> timer.cancel(false));
    stream.write(new DefaultHttp2HeadersFrame(h));
    stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(wire), true)).addListener(w -> {
      if (!w.isSuccess()) {
        result.completeExceptionally(new UpstreamException(Reason.TRANSPORT, name() + ": " + w.cause().getMessage(),
            w.cause()));
      }
    });
  }

  /** The open HTTP/2 connection, or a new one. */
  private synchronized Future<Channel> parent() {
    if (connection != null && (!connection.isDone() || (connection.isSuccess() && connection.getNow().isActive()
        && connection.getNow().attr(GOING_AWAY).get() == null))) {
      return connection;
    }
    io.netty.util.concurrent.Promise<Channel> p = transport.group().next().newPromise();
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
            // SNI and certificate check use the URL's host even when connecting to a bootstrap address
            ch.pipeline().addLast(tls.newHandler(ch.alloc(), url.host(), url.port()),
                Http2FrameCodecBuilder.forClient().build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    // RFC 9113 §6.8: after GOAWAY no new streams; streams in flight finish, new queries reconnect
                    if (msg instanceof Http2GoAwayFrame) {
                      ctx.channel().attr(GOING_AWAY).set(Boolean.TRUE);
                    }
                    ReferenceCountUtil.release(msg);
                  }
                });
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

  /** Collects one stream's answer: :status, content-type and a body of at most one DNS message. */
  private final class StreamHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private final Message query;
    private final CompletableFuture<Message> result;
    private int status;
    private String contentType;
    private ByteBuf body;

    StreamHandler(Message query, CompletableFuture<Message> result) {
      this.query = query;
      this.result = result;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
      boolean end = false;
      if (frame instanceof Http2HeadersFrame h) {
        if (h.headers().status() != null) {
          status = Integer.parseInt(h.headers().status().toString());
          CharSequence ct = h.headers().get("content-type");
          contentType = ct == null ? "" : ct.toString();
        }
        end = h.isEndStream();
      } else if (frame instanceof Http2DataFrame d) {
        if (body == null) body = ctx.alloc().buffer();
        if (body.readableBytes() + d.content().readableBytes() > DohRequest.MAX_MESSAGE) {
          fail(ctx, Reason.OVERSIZED, DropReason.UPSTREAM_OVERSIZED, "answer larger than a DNS message");
          return;
        }
        body.writeBytes(d.content());
        end = d.isEndStream();
      }
      if (end) {
        finish(ctx);
      }
    }

    private void finish(ChannelHandlerContext ctx) {
      byte[] bytes = new byte[body == null ? 0 : body.readableBytes()];
      if (body != null) body.readBytes(bytes);
      release();
      if (status != 200) {
        fail(ctx, Reason.MALFORMED, DropReason.UPSTREAM_MALFORMED, "HTTP status " + status);
        return;
      }
      if (!contentType.toLowerCase().startsWith(DohRequest.DNS_MESSAGE)) {
        fail(ctx, Reason.MALFORMED, DropReason.UPSTREAM_MALFORMED, "content-type " + contentType);
        return;
      }
      Message answer;
      try {
        answer = new Message(bytes);
      } catch (Exception e) {
        fail(ctx, Reason.MALFORMED, DropReason.UPSTREAM_MALFORMED, "answer does not parse: " + e.getMessage());
        return;
      }
      DropReason lie = AnswerCheck.verify(query, answer);
      if (lie != null) {
        fail(ctx, Reason.MISMATCH, lie,
            "answer does not match the query (" + lie.label() + ")");
        return;
      }
      result.complete(answer);
      ctx.close();
    }

    private void fail(ChannelHandlerContext ctx, Reason reason, DropReason drop, String why) {
      drops.accept(drop);
      result.completeExceptionally(new UpstreamException(reason, name() + ": " + why));
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      release();
      result.completeExceptionally(new UpstreamException(Reason.TRANSPORT, name() + ": stream closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.completeExceptionally(new UpstreamException(Reason.TRANSPORT, name() + ": " + cause.getMessage(), cause));
      ctx.close();
    }

    private void release() {
      if (body != null) {
        ReferenceCountUtil.safeRelease(body);
        body = null;
      }
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null && connection.isSuccess()) {
      connection.getNow().close();
    }
  }
}
