package net.tinyisp.dns.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import net.tinyisp.dns.server.QueryContext;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.server.Transport;

/**
 * One DoT connection after TLS and the two-octet length framing (RFC 7858 §3.3, RFC 1035 §4.2.2). Queries are
 * handed to the handler as they arrive and answered in completion order, not arrival order (RFC 7766 §6.2.1.1:
 * pipelining with out-of-order responses). Reading pauses while {@code maxInFlight} queries are outstanding so a
 * single client cannot queue unbounded work.
 */
final class DotConnection extends ChannelInboundHandlerAdapter {
  private static final int DNS_HEADER = 12;

  private final QueryHandler handler;
  private final EncryptedDnsMetrics metrics;
  private final int maxInFlight;
  private int inFlight; // event-loop confined

  DotConnection(QueryHandler handler, EncryptedDnsMetrics metrics, int maxInFlight) {
    this.handler = handler;
    this.metrics = metrics;
    this.maxInFlight = maxInFlight;
  }

  /** While one read's frames are being handled, answers are written and flushed once at the end of the read. */
  private boolean reading;
  private boolean flushScheduled;

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    ByteBuf frame = (ByteBuf) msg;
    byte[] query;
    try {
      query = new byte[frame.readableBytes()];
      frame.readBytes(query);
    } finally {
      frame.release();
    }
    if (query.length < DNS_HEADER) {
      metrics.drop(EncryptedDnsDrop.DOT_MALFORMED);
      ctx.close(); // RFC 7766 §8: a framing error leaves the stream unusable
      return;
    }
    metrics.query(Transport.DOT);
    boolean padded = EdnsPadding.queryIsPadded(query);
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    if (++inFlight >= maxInFlight) {
      ctx.channel().config().setAutoRead(false);
    }
    handler.handle(query, new QueryContext(remote.getAddress(), Transport.DOT)).whenComplete((response, error) -> {
      if (ctx.executor().inEventLoop()) {
        answer(ctx, response, padded);
      } else {
        ctx.executor().execute(() -> answer(ctx, response, padded));
      }
    });
  }

  private void answer(ChannelHandlerContext ctx, byte[] response, boolean padded) {
    if (inFlight-- >= maxInFlight) {
      ctx.channel().config().setAutoRead(true);
    }
    if (response == null) {
      metrics.drop(EncryptedDnsDrop.HANDLER_DROPPED);
      return;
    }
    if (!ctx.channel().isActive()) {
      return;
    }
    byte[] out = padded ? EdnsPadding.pad(response) : response;
    ByteBuf buf = ctx.alloc().buffer(2 + out.length);
    buf.writeShort(out.length).writeBytes(out);
    ctx.write(buf, ctx.voidPromise());
    if (!reading && !flushScheduled) {
      flushScheduled = true;
      ctx.executor().execute(() -> {
        flushScheduled = false;
        ctx.flush();
      });
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
