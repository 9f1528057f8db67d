package net.tinyisp.dns.doh;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.dns.tls.EncryptedDnsDrop;
import net.tinyisp.dns.tls.EncryptedDnsMetrics;

/**
 * HTTP/1.1 adapter of {@link DohResponder} (TLS without h2, and the plain listener behind nginx). Requests on one
 * connection are answered in order, as HTTP/1.1 requires; {@code HttpServerKeepAliveHandler} in front closes
 * the connection after a {@code Connection: close} request.
 */
final class Http1Exchange extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final DohResponder responder;
  private final List<IpPrefix> trusted;
  private final EncryptedDnsMetrics metrics;

  Http1Exchange(DohResponder responder, List<IpPrefix> trusted, EncryptedDnsMetrics metrics) {
    this.responder = responder;
    this.trusted = trusted;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (req.decoderResult().isFailure()) {
      metrics.drop(EncryptedDnsDrop.HTTP_MALFORMED);
      FullHttpResponse bad = response(DohResponder.Reply.error(400, "malformed HTTP request"), false);
      ctx.writeAndFlush(bad).addListener(f -> closeAfterError(ctx));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    InetAddress client = ClientAddress.of(ctx.channel(), trusted, req.headers().get("Forwarded"),
        req.headers().get("X-Forwarded-For"));
    byte[] body = ByteBufUtil.getBytes(req.content());
    Pending pending = new Pending(keepAlive);
    queue.add(pending);
    responder.respond(req.method().name(), req.uri(), req.headers().get(HttpHeaderNames.CONTENT_TYPE), body, client)
        .whenComplete((reply, error) -> ctx.executor().execute(() -> {
          pending.reply = error != null ? DohResponder.Reply.error(500, "internal error") : reply;
          drain(ctx);
        }));
  }

  /**
   * RFC 9112 §9.6: a server closing on an error while the client may still be sending half-closes first and keeps
   * reading (the decoder discards everything after a failure) for a while; closing at once with unread input makes
   * the kernel send a reset, which can destroy the 400 before the client reads it. TLS connections close as before
   * (a half-close below TLS would skip close_notify).
   */
  private static void closeAfterError(ChannelHandlerContext ctx) {
    if (ctx.channel() instanceof io.netty.channel.socket.DuplexChannel duplex
        && ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class) == null && duplex.isActive()) {
      duplex.shutdownOutput();
      ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    } else {
      ctx.close();
    }
  }

  private static final int LINGER_SECONDS = 2;

  /** A request waiting for its answer; HTTP/1.1 pipelining needs the answers in request order (RFC 9112 §9.3.2). */
  private static final class Pending {
    final boolean keepAlive;
    DohResponder.Reply reply;

    Pending(boolean keepAlive) {
      this.keepAlive = keepAlive;
    }
  }

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  private void drain(ChannelHandlerContext ctx) {
    while (!queue.isEmpty() && queue.peek().reply != null) {
      Pending p = queue.poll();
      FullHttpResponse resp = response(p.reply, p.keepAlive);
      if (p.keepAlive) {
        ctx.writeAndFlush(resp, ctx.voidPromise());
      } else {
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        queue.clear();
      }
    }
  }

  static FullHttpResponse response(DohResponder.Reply r, boolean keepAlive) {
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
        Unpooled.wrappedBuffer(r.body()));
    resp.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
        .set(HttpHeaderNames.CACHE_CONTROL, r.maxAge() < 0 ? "no-store" : "max-age=" + r.maxAge());
    if (r.status() == 405) {
      resp.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
    }
    if (!keepAlive) {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return resp;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    metrics.drop(EncryptedDnsDrop.HTTP_MALFORMED);
    ctx.close();
  }
}
