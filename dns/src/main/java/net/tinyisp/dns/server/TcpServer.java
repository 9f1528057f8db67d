package net.tinyisp.dns.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.upstream.NettyTransport;

/**
 * DNS over TCP (RFC 7766): two-byte length prefix (§8), pipelined queries answered as each completes, so out of
 * order (§6.2.1.1), an idle timeout that closes a connection with nothing in flight (§6.2.3), and at most
 * {@link #MAX_IN_FLIGHT} queries in flight per connection before reading pauses.
 */
public final class TcpServer implements AutoCloseable {
  static final int MAX_IN_FLIGHT = 64;
  private final Channel channel;

  private TcpServer(Channel channel) {
    this.channel = channel;
  }

  public static TcpServer bind(NettyTransport transport, InetSocketAddress address, QueryHandler handler,
      int idleTimeoutMs, Consumer<DropReason> drops) throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap().group(transport.group()).channel(transport.serverSocket())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new IdleStateHandler(0, 0, idleTimeoutMs, TimeUnit.MILLISECONDS));
            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2));
            ch.pipeline().addLast(new Connection(handler, drops));
          }
        });
    return new TcpServer(b.bind(address).sync().channel());
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  private static final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
    private final QueryHandler handler;
    private final Consumer<DropReason> drops;
    private int inFlight;

    Connection(QueryHandler handler, Consumer<DropReason> drops) {
      this.handler = handler;
      this.drops = drops;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      byte[] query = new byte[frame.readableBytes()];
      frame.getBytes(frame.readerIndex(), query);
      InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
      inFlight++;
      if (inFlight >= MAX_IN_FLIGHT) {
        drops.accept(DropReason.TCP_TOO_MANY_PIPELINED);
        ctx.channel().config().setAutoRead(false);
      }
      handler.handle(query, new QueryContext(remote.getAddress(), Transport.TCP)).whenComplete((r, e) -> {
        if (ctx.executor().inEventLoop()) {
          answered(ctx, r);
        } else {
          ctx.executor().execute(() -> answered(ctx, r));
        }
      });
    }

    private void answered(ChannelHandlerContext ctx, byte[] r) {
      inFlight--;
      if (!ctx.channel().config().isAutoRead() && inFlight < MAX_IN_FLIGHT / 2) {
        ctx.channel().config().setAutoRead(true);
      }
      if (r == null) {
        // a dropped query on a stream: RFC 7766 §7 lets us close; we keep the connection for the other queries
        return;
      }
      ByteBuf out = ctx.alloc().buffer(2 + r.length);
      out.writeShort(r.length).writeBytes(r);
      ctx.writeAndFlush(out);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof IdleStateEvent) {
        if (inFlight == 0) ctx.close();
        return;
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // session-level error (bad framing, reset): this connection only
    }
  }
}
