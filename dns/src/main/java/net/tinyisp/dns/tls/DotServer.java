package net.tinyisp.dns.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.upstream.NettyTransport;

/** DNS over TLS listener (RFC 7858): TLS 1.3/1.2 with ALPN {@code dot}, length-framed DNS, pipelined. */
public final class DotServer {
  private final NettyTransport loops;
  private final ReloadingSslContext tls;
  private final QueryHandler handler;
  private final EncryptedDnsMetrics metrics;
  private final ConnectionLimiter limiter;
  private final Duration idleTimeout;
  private final int maxInFlight;

  public DotServer(NettyTransport loops, ReloadingSslContext tls, QueryHandler handler, EncryptedDnsMetrics metrics,
      ConnectionLimiter limiter, Duration idleTimeout, int maxInFlight) {
    this.loops = loops;
    this.tls = tls;
    this.handler = handler;
    this.metrics = metrics;
    this.limiter = limiter;
    this.idleTimeout = idleTimeout;
    this.maxInFlight = maxInFlight;
  }

  public Channel bind(HostPort listen) throws InterruptedException {
    return new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverSocket())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
                // the context current at accept time: a reload affects only later connections
                tls.current().newHandler(ch.alloc()),
                limiter,
                new LengthFieldBasedFrameDecoder(2 + 65535, 0, 2, 0, 2),
                new DotConnection(handler, metrics, maxInFlight));
          }
        })
        .bind(listen.socketAddress())
        .sync()
        .channel();
  }
}
