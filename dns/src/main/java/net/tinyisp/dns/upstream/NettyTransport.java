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
import io.netty.channel.socket.SocketProtocolFamily;
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

  /**
   * A datagram channel of the address's own family: an IPv4 socket for IPv4 (not a dual-stack IPv6 socket, whose
   * sends take the slower mapped path in the kernel), IPv6 for IPv6.
   */
  public io.netty.channel.ChannelFactory<DatagramChannel> datagramFor(java.net.InetAddress address) {
    SocketProtocolFamily family =
        address instanceof java.net.Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    return epoll ? () -> new EpollDatagramChannel(family) : () -> new NioDatagramChannel(family);
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
