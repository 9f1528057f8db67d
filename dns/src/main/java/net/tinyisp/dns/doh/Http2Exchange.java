package net.tinyisp.dns.doh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.dns.tls.EncryptedDnsDrop;
import net.tinyisp.dns.tls.EncryptedDnsMetrics;

/**
 * HTTP/2 adapter of {@link DohResponder}, directly on {@code Http2FrameCodec} frames (no child channel per stream:
 * a DoH stream is one small request and one small answer). Streams are answered as their queries complete, in
 * any order (RFC 8484 §5.2 relies on HTTP/2 streams for concurrency); the codec enforces
 * SETTINGS_MAX_CONCURRENT_STREAMS.
 */
final class Http2Exchange extends ChannelDuplexHandler {
  private final DohResponder responder;
  private final List<IpPrefix> trusted;
  private final EncryptedDnsMetrics metrics;
  /** Streams whose request body is still arriving. Event-loop confined. */
  private final Map<Integer, Body> bodies = new HashMap<>();

  private static final class Body {
    final Http2Headers headers;
    ByteBuf data;

    Body(Http2Headers headers) {
      this.headers = headers;
    }
  }

  Http2Exchange(DohResponder responder, List<IpPrefix> trusted, EncryptedDnsMetrics metrics) {
    this.responder = responder;
    this.trusted = trusted;
    this.metrics = metrics;
  }

  /** True while the codec delivers the frames of one read: answers written meanwhile are flushed once at its end. */
  private boolean reading;
  private boolean flushScheduled;

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    ctx.flush(); // one TLS record and one syscall for every answer that completed during this read
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
    switch (msg) {
      case Http2HeadersFrame h -> {
        if (h.isEndStream()) {
          start(ctx, h.stream(), h.headers(), new byte[0]);
        } else {
          // bounded by SETTINGS_MAX_CONCURRENT_STREAMS, which the codec enforces
          bodies.put(h.stream().id(), new Body(h.headers()));
        }
      }
      case Http2DataFrame d -> {
        try {
          data(ctx, d);
        } finally {
          d.release();
        }
      }
      case Http2ResetFrame r -> release(bodies.remove(r.stream().id()));
      default -> ReferenceCountUtil.release(msg);
    }
  }

  private void data(ChannelHandlerContext ctx, Http2DataFrame d) {
    // give the bytes back to the flow-control windows at once: the body is bounded below, not by the window
    if (d.initialFlowControlledBytes() > 0) {
      ctx.write(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes()).stream(d.stream()));
    }
    Body b = bodies.get(d.stream().id());
    if (b == null) {
      return;
    }
    int size = (b.data == null ? 0 : b.data.readableBytes()) + d.content().readableBytes();
    if (size > DohRequest.MAX_MESSAGE) {
      release(bodies.remove(d.stream().id()));
      metrics.drop(EncryptedDnsDrop.HTTP_TOO_LARGE);
      reply(ctx, d.stream(), DohResponder.Reply.error(413, "body longer than a DNS message"), !d.isEndStream());
      return;
    }
    if (b.data == null) {
      b.data = ctx.alloc().buffer(Math.max(64, d.content().readableBytes()));
    }
    b.data.writeBytes(d.content());
    if (d.isEndStream()) {
      bodies.remove(d.stream().id());
      byte[] body = new byte[b.data.readableBytes()];
      b.data.readBytes(body);
      b.data.release();
      start(ctx, d.stream(), b.headers, body);
    }
  }

  private void start(ChannelHandlerContext ctx, Http2FrameStream stream, Http2Headers headers, byte[] body) {
    String method = String.valueOf(headers.method());
    String path = headers.path() == null ? "" : headers.path().toString();
    CharSequence ct = headers.get("content-type");
    CharSequence fwd = headers.get("forwarded");
    CharSequence xff = headers.get("x-forwarded-for");
    InetAddress client = ClientAddress.of(ctx.channel(), trusted, fwd == null ? null : fwd.toString(),
        xff == null ? null : xff.toString());
    responder.respond(method, path, ct == null ? null : ct.toString(), body, client).whenComplete((reply, error) -> {
      DohResponder.Reply r = error != null ? DohResponder.Reply.error(500, "internal error") : reply;
      if (ctx.executor().inEventLoop()) {
        reply(ctx, stream, r, false);
      } else {
        ctx.executor().execute(() -> reply(ctx, stream, r, false));
      }
    });
  }

  private void reply(ChannelHandlerContext ctx, Http2FrameStream stream, DohResponder.Reply r, boolean reset) {
    if (!ctx.channel().isActive()) {
      return;
    }
    Http2Headers h = new DefaultHttp2Headers()
        .status(Integer.toString(r.status()))
        .set("content-type", r.contentType())
        .setInt("content-length", r.body().length)
        .set("cache-control", r.maxAge() < 0 ? "no-store" : "max-age=" + r.maxAge());
    if (r.status() == 405) {
      h.set("allow", "GET, POST");
    }
    ctx.write(new DefaultHttp2HeadersFrame(h).stream(stream));
    ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(r.body()), true).stream(stream));
    if (reset) {
      // the client is still sending an oversized body: stop it (RFC 9113 §8.1)
      ctx.write(new DefaultHttp2ResetFrame(Http2Error.CANCEL).stream(stream));
    }
    flushSoon(ctx);
  }

  /** Answers completing outside a read (upstream round trips) are flushed together once per event-loop turn. */
  private void flushSoon(ChannelHandlerContext ctx) {
    if (reading || flushScheduled) {
      return;
    }
    flushScheduled = true;
    ctx.executor().execute(() -> {
      flushScheduled = false;
      ctx.flush();
    });
  }

  private static void release(Body b) {
    if (b != null && b.data != null) b.data.release();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    bodies.values().forEach(Http2Exchange::release);
    bodies.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    metrics.drop(EncryptedDnsDrop.HTTP_MALFORMED);
    ctx.close();
  }
}
