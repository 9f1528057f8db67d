package net.tinyisp.dns.tls;

import io.netty.channel.EventLoopGroup;
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
import java.util.concurrent.TimeUnit;

/** One Netty event loop group with the channel classes that go with it: epoll on Linux, NIO elsewhere. */
public record EventLoops(EventLoopGroup group, Class<? extends ServerSocketChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel, Class<? extends DatagramChannel> datagramChannel)
    implements AutoCloseable {

  public static EventLoops create(int threads) {
    if (Epoll.isAvailable()) {
      return new EventLoops(new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory()),
          EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class);
    }
    return new EventLoops(new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory()),
        NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
