package net.tinyisp.dns.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * A classic DNS server over UDP with TCP fallback (RFC 1035 §4.2, RFC 7766 §5: a truncated answer is asked again
 * over TCP). Each UDP query gets a fresh socket on a kernel-chosen random port and a random ID (RFC 5452 §9.2);
 * answers from another address, with another ID or question, or larger than our EDNS size are ignored and counted,
 * and the query keeps waiting for the real one until its timeout.
 */
public final class DnsUpstream implements Upstream {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final NettyTransport transport;
  private final InetSocketAddress server;
  private final int timeoutMs;
  private final int maxUdpSize;
  private final Consumer<DropReason> drops;
  private final String name;

  public DnsUpstream(NettyTransport transport, InetSocketAddress server, int timeoutMs, int maxUdpSize,
      Consumer<DropReason> drops) {
    this.transport = transport;
    this.server = server;
    this.timeoutMs = timeoutMs;
    this.maxUdpSize = maxUdpSize;
    this.drops = drops;
    String h = server.getAddress().getHostAddress();
    this.name = "udp://" + (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + server.getPort();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletionStage<Message> query(Message query) {
    Message q = query.clone();
    q.getHeader().setID(RANDOM.nextInt(0x10000));
    CompletableFuture<Message> result = new CompletableFuture<>();
    byte[] wire = q.toWire();
    udp(q, wire, result);
    return result;
  }

  private void udp(Message q, byte[] wire, CompletableFuture<Message> result) {
    Bootstrap b = new Bootstrap().group(transport.group()).channel(transport.datagram())
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096))
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            if (!p.sender().equals(server)) {
              drops.accept(DropReason.UPSTREAM_WRONG_SOURCE);
              return;
            }
            if (p.content().readableBytes() > maxUdpSize) {
              drops.accept(DropReason.UPSTREAM_OVERSIZED);
              return;
            }
            Message m = check(q, ByteBufUtil.getBytes(p.content()), false, result);
            if (m == null) return;
            ctx.close();
            if (m.getHeader().getFlag(Flags.TC)) {
              tcp(q, wire, result);
            } else {
              result.complete(m);
            }
          }
        });
    InetSocketAddress local = new InetSocketAddress(server.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0", 0);
    b.bind(local).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new UpstreamException(UpstreamException.Reason.TRANSPORT,
            name + ": cannot open a UDP socket: " + f.cause().getMessage(), f.cause()));
        return;
      }
      Channel ch = f.channel();
      ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> {
        ch.close();
        result.completeExceptionally(new UpstreamException(UpstreamException.Reason.TIMEOUT,
            name + ": no answer within " + timeoutMs + " ms"));
      }, timeoutMs, TimeUnit.MILLISECONDS);
      result.whenComplete((m, e) -> timer.cancel(false));
      ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(wire), server)).addListener((ChannelFuture w) -> {
        if (!w.isSuccess()) {
          ch.close();
          result.completeExceptionally(new UpstreamException(UpstreamException.Reason.TRANSPORT,
              name + ": send failed: " + w.cause().getMessage(), w.cause()));
        }
      });
    });
  }

  private void tcp(Message q, byte[] wire, CompletableFuture<Message> result) {
    Bootstrap b = new Bootstrap().group(transport.group()).channel(transport.socket())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMs)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2));
            ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                Message m = check(q, ByteBufUtil.getBytes(frame), true, result);
                ctx.close();
                if (m != null) result.complete(m);
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                result.completeExceptionally(new UpstreamException(UpstreamException.Reason.TRANSPORT,
                    name + ": TCP connection closed without an answer"));
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
                result.completeExceptionally(new UpstreamException(UpstreamException.Reason.TRANSPORT,
                    name + ": TCP: " + cause.getMessage(), cause));
              }
            });
          }
        });
    b.connect(server).addListener((ChannelFuture f) -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new UpstreamException(UpstreamException.Reason.TRANSPORT,
            name + ": TCP connect failed: " + f.cause().getMessage(), f.cause()));
        return;
      }
      Channel ch = f.channel();
      ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> {
        ch.close();
        result.completeExceptionally(new UpstreamException(UpstreamException.Reason.TIMEOUT,
            name + ": no TCP answer within " + timeoutMs + " ms"));
      }, timeoutMs, TimeUnit.MILLISECONDS);
      result.whenComplete((m, e) -> timer.cancel(false));
      ByteBuf out = ch.alloc().buffer(2 + wire.length);
      out.writeShort(wire.length).writeBytes(wire);
      ch.writeAndFlush(out);
    });
  }

  /**
   * The answer if it is the one we asked for; otherwise counts why and returns null. Over UDP a wrong answer is
   * ignored (the real one may still come, RFC 5452 §9.1); over TCP the stream is ours, so it fails the query.
   */
  private Message check(Message q, byte[] bytes, boolean tcp, CompletableFuture<Message> result) {
    Message m;
    try {
      m = new Message(bytes);
    } catch (IOException | RuntimeException e) {
      drops.accept(DropReason.UPSTREAM_MALFORMED);
      if (tcp) fail(result, UpstreamException.Reason.MALFORMED, "malformed TCP answer");
      return null;
    }
    if (m.getHeader().getID() != q.getHeader().getID() || !m.getHeader().getFlag(Flags.QR)) {
      drops.accept(DropReason.UPSTREAM_WRONG_ID);
      if (tcp) fail(result, UpstreamException.Reason.MISMATCH, "TCP answer with another ID");
      return null;
    }
    if (m.getQuestion() == null || !m.getQuestion().equals(q.getQuestion())) {
      drops.accept(DropReason.UPSTREAM_WRONG_QUESTION);
      if (tcp) fail(result, UpstreamException.Reason.MISMATCH, "TCP answer for another question");
      return null;
    }
    return m;
  }

  private void fail(CompletableFuture<Message> result, UpstreamException.Reason reason, String what) {
    result.completeExceptionally(new UpstreamException(reason, name + ": " + what));
  }

  @Override
  public void close() {
    // sockets are per query and close themselves; the event loops belong to the service
  }
}
