package net.tinyisp.dns.doh;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.tls.ConnectionLimiter;
import net.tinyisp.dns.tls.EncryptedDnsDrop;
import net.tinyisp.dns.tls.EncryptedDnsMetrics;
import net.tinyisp.dns.upstream.NettyTransport;
import net.tinyisp.dns.tls.ReloadingSslContext;

/**
 * DNS over HTTPS listeners (RFC 8484): over TLS with ALPN {@code h2} or {@code http/1.1}, and plain HTTP/1.1 for a
 * reverse proxy in front, where PROXY v2 and Forwarded headers are believed from trusted proxies only.
 */
public final class DohServer {
  /** HTTP/1.1 request line + headers; DoH GET of a maximal message is about 87 kB of base64url. */
  private static final int MAX_INITIAL_LINE = 96 * 1024;
  private static final int MAX_HEADERS = 16 * 1024;

  private final NettyTransport loops;
  private final QueryHandler handler;
  private final EncryptedDnsMetrics metrics;
  private final ConnectionLimiter limiter;
  private final List<IpPrefix> trusted;
  private final Duration idleTimeout;
  private final int maxConcurrentStreams;
  private final DohResponder responder;

  public DohServer(NettyTransport loops, QueryHandler handler, EncryptedDnsMetrics metrics, ConnectionLimiter limiter,
      List<IpPrefix> trusted, Duration idleTimeout, int maxConcurrentStreams) {
    this.loops = loops;
    this.handler = handler;
    this.metrics = metrics;
    this.limiter = limiter;
    this.trusted = List.copyOf(trusted);
    this.idleTimeout = idleTimeout;
    this.maxConcurrentStreams = maxConcurrentStreams;
    this.responder = new DohResponder(handler, metrics);
  }

  public QueryHandler handler() {
    return handler;
  }

  /** DoH over TLS; the context current at accept time serves the connection (certificate reload). */
  public Channel bindTls(HostPort listen, ReloadingSslContext tls) throws InterruptedException {
    return bind(listen, new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(
            new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
            tls.current().newHandler(ch.alloc()),
            limiter,
            new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
              @Override
              protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                  addHttp2(ctx.pipeline());
                } else {
                  addHttp1(ctx.pipeline());
                }
              }

              @Override
              protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // counted by the limiter's handshake event
              }
            });
      }
    });
  }

  /** Plain HTTP/1.1 for nginx or HAProxy in front. */
  public Channel bindPlain(HostPort listen) throws InterruptedException {
    return bind(listen, new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS), limiter);
        InetSocketAddress peer = ch.remoteAddress();
        if (peer != null && ForwardedClient.isTrusted(peer.getAddress(), trusted)) {
          ch.pipeline().addLast(new ProxyProtocolDecoder(metrics));
        }
        addHttp1(ch.pipeline());
      }
    });
  }

  private Channel bind(HostPort listen, ChannelInitializer<SocketChannel> init) throws InterruptedException {
    return new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverSocket())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(init)
        .bind(listen.socketAddress())
        .sync()
        .channel();
  }

  private void addHttp2(ChannelPipeline p) {
    p.addLast(Http2FrameCodecBuilder.forServer()
            .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams)
                .maxHeaderListSize(MAX_HEADERS + MAX_INITIAL_LINE))
            .build(),
        new Http2Exchange(responder, trusted, metrics));
  }

  private void addHttp1(ChannelPipeline p) {
    p.addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192),
        new HttpServerKeepAliveHandler(),
        new HttpObjectAggregator(DohRequest.MAX_MESSAGE) {
          @Override
          protected void handleOversizedMessage(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage m)
              throws Exception {
            metrics.drop(EncryptedDnsDrop.HTTP_TOO_LARGE);
            super.handleOversizedMessage(ctx, m); // 413, and close when the body cannot be skipped
          }
        },
        new Http1Exchange(responder, trusted, metrics));
  }
}
