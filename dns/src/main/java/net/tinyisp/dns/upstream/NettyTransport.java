package net.tinyisp.dns.upstream;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loops and channel classes the dns module runs on: native epoll where available (SO_REUSEPORT, one UDP
 * socket per loop), NIO otherwise. One loop per core: the cache-hit path runs entirely on the loop that read the
 * query.
 */
public final class NettyTransport implements AutoCloseable {
  private final EventLoopGroup group;
  private final boolean epoll;
  private final int threads;

  public NettyTransport(int threads) {
    this.epoll = Epoll.isAvailable();
    this.threads = threads;
    IoHandlerFactory f = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("tinyisp-dns", true), f);
  }

  public EventLoopGroup group() {
    return group;
  }

  public int threads() {
    return threads;
  }

  public boolean epoll() {
    return epoll;
  }

  public Class<? extends DatagramChannel> datagram() {
    return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  public Class<? extends SocketChannel> socket() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  public Class<? extends ServerSocketChannel> serverSocket() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
