package net.tinyisp.dns.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.tinyisp.dns.upstream.NettyTransport;

/**
 * DNS over UDP on one address: with epoll, one SO_REUSEPORT socket per event loop so the kernel spreads queries
 * over the cores and an answer from the cache is written on the loop that read the query, batched per read burst.
 */
public final class UdpServer implements UdpListener {
  private final List<Channel> channels = new ArrayList<>();
  private final InetSocketAddress bound;

  private UdpServer(InetSocketAddress bound) {
    this.bound = bound;
  }

  public static UdpServer bind(NettyTransport transport, InetSocketAddress address, QueryHandler handler,
      int maxUdpSize) throws InterruptedException {
    int sockets = transport.epoll() ? transport.threads() : 1;
    Handler h = new Handler(handler, maxUdpSize);
    Bootstrap b = new Bootstrap().group(transport.group())
        .channelFactory(transport.datagramFor(address.getAddress()))
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .option(ChannelOption.SO_SNDBUF, 4 << 20)
        .handler(h);
    if (transport.epoll()) {
      // recvmmsg(2): up to 16 datagrams of at most 4096 bytes per system call; replies leave by sendmmsg(2)
      b.option(EpollChannelOption.SO_REUSEPORT, true)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 4096)
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096 * 16));
    } else {
      b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096));
    }
    if (transport.epoll() && address.getPort() != 0) {
      // SO_REUSEPORT would let this socket silently share a port another tinyisp (same user) already serves;
      // a plain bind first turns that into the usual "address in use" at start.
      try (java.net.DatagramSocket probe = new java.net.DatagramSocket(address)) {
        probe.setReuseAddress(false);
      } catch (java.net.SocketException e) {
        throw new IllegalStateException("UDP " + address + " is in use: " + e.getMessage(), e);
      }
    }
    Channel first = b.bind(address).sync().channel();
    InetSocketAddress local = (InetSocketAddress) first.localAddress();
    UdpServer s = new UdpServer(local);
    s.channels.add(first);
    try {
      for (int i = 1; i < sockets; i++) s.channels.add(b.bind(local).sync().channel());
    } catch (InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  @Override
  public InetSocketAddress address() {
    return bound;
  }

  @Override
  public void close() {
    for (Channel c : channels) c.close().syncUninterruptibly();
  }

  @ChannelHandler.Sharable
  private static final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final QueryHandler handler;
    private final int maxUdpSize;

    Handler(QueryHandler handler, int maxUdpSize) {
      this.handler = handler;
      this.maxUdpSize = maxUdpSize;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
      ByteBuf c = p.content();
      byte[] query = new byte[c.readableBytes()];
      c.getBytes(c.readerIndex(), query);
      InetSocketAddress sender = p.sender();
      // cache hit: answered on this loop into a pooled direct buffer, sent with the burst's sendmmsg(2)
      ByteBuf out = ctx.alloc().ioBuffer(512);
      boolean sent = false;
      try {
        if (handler.answerNow(query, sender.getAddress(), Transport.UDP, maxUdpSize, out)) {
          ctx.write(new DatagramPacket(out, sender), ctx.voidPromise());
          sent = true;
          return;
        }
      } finally {
        if (!sent) out.release();
      }
      CompletionStage<byte[]> answer = handler.handle(query, new QueryContext(sender.getAddress(), Transport.UDP));
      if (answer instanceof CompletableFuture<byte[]> f && f.isDone() && !f.isCompletedExceptionally()) {
        byte[] r = f.getNow(null);
        if (r != null) ctx.write(packet(ctx, UdpTruncation.apply(query, r, maxUdpSize), sender), ctx.voidPromise());
        return;
      }
      answer.whenComplete((r, e) -> {
        if (r != null) {
          ctx.writeAndFlush(packet(ctx, UdpTruncation.apply(query, r, maxUdpSize), sender), ctx.voidPromise());
        }
      });
    }

    private static DatagramPacket packet(ChannelHandlerContext ctx, byte[] answer, InetSocketAddress to) {
      ByteBuf b = ctx.alloc().ioBuffer(answer.length);
      b.writeBytes(answer);
      return new DatagramPacket(b, to);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // ICMP errors and the like on a UDP socket concern one client; the listener keeps serving
    }
  }
}
