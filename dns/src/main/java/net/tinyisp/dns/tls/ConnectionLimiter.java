package net.tinyisp.dns.tls;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * First handler of every encrypted connection: enforces max-connections (RFC 7766 §6.2.2 lets a server limit
 * them), counts failed TLS handshakes, and closes connections that stay idle (RFC 7858 §3.4; the
 * {@code IdleStateHandler} in front fires only when nothing was read or written, so slowloris clients that never
 * finish a request are closed too). Shared by all connections of a service.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
  private final int max;
  private final EncryptedDnsMetrics metrics;

  public ConnectionLimiter(int max, EncryptedDnsMetrics metrics) {
    this.max = max;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (metrics.connections().incrementAndGet() > max) {
      metrics.drop(EncryptedDnsDrop.CONNECTION_LIMIT);
      ctx.close();
      return;
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    metrics.connections().decrementAndGet();
    super.channelInactive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      metrics.drop(EncryptedDnsDrop.IDLE_TIMEOUT);
      ctx.close();
      return;
    }
    if (evt instanceof SslHandshakeCompletionEvent hs && !hs.isSuccess()) {
      metrics.drop(EncryptedDnsDrop.TLS_HANDSHAKE);
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // connection-level error (reset, TLS alert): close this one connection, the listener stays
  }
}
