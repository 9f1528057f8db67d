package net.tinyisp.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.common.net.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener: {@code /health}, Prometheus {@code /metrics}, a status page on {@code /}, and the JSON
 * routes components register ({@code GET /api/dns64/...}, {@code POST /api/pppoe/terminate}). HTTP/1.1 only: it
 * serves operators' curl and Prometheus, not subscribers.
 */
public final class AdminServer implements Service {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final int MAX_BODY = 1 << 20;

  private final AdminConfig config;
  private final Metrics metrics;
  private final Supplier<Map<String, Health>> health;
  private final Map<String, AdminRoute> routes = new ConcurrentSkipListMap<>();
  private final List<Channel> channels = new ArrayList<>();
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private EventLoopGroup group;

  public AdminServer(AdminConfig config, Metrics metrics, Supplier<Map<String, Health>> health) {
    this.config = config;
    this.metrics = metrics;
    this.health = health;
  }

  /** Registers {@code METHOD /path}; a path ending in '/' matches everything below it (longest match wins). */
  public AdminServer route(String method, String path, AdminRoute route) {
    routes.put(method.toUpperCase() + " " + path, route);
    return this;
  }

  @Override
  public String name() {
    return "admin";
  }

  @Override
  public void start() throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new ReadTimeoutHandler(30))
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_BODY))
                .addLast(new Dispatcher());
          }
        });
    for (HostPort hp : config.listenAddresses()) {
      try {
        channels.add(b.bind(hp.socketAddress()).sync().channel());
      } catch (Exception e) {
        close();
        throw new IllegalStateException("admin: cannot listen on " + hp + ": " + e.getMessage(), e);
      }
      log.atInfo().addKeyValue("listen", hp).log("admin listening");
    }
  }

  /** The ports actually bound, in listen order (tests bind port 0). */
  public List<Integer> boundPorts() {
    return channels.stream().map(c -> ((InetSocketAddress) c.localAddress()).getPort()).toList();
  }

  @Override
  public void close() {
    channels.forEach(Channel::close);
    channels.clear();
    if (group != null) {
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
      group = null;
    }
  }

  AdminResponse dispatch(AdminRequest req) {
    String key = req.method() + " " + req.path();
    AdminRoute route = routes.get(key);
    if (route == null) {
      String best = null;
      for (String k : routes.keySet()) {
        if (k.endsWith("/") && key.startsWith(k) && (best == null || k.length() > best.length())) best = k;
      }
      route = best == null ? builtIn(req) : routes.get(best);
    }
    if (route == null) {
      boolean pathExists = routes.keySet().stream().anyMatch(k -> k.substring(k.indexOf(' ') + 1).equals(req.path()));
      return pathExists ? AdminResponse.error(405, "method not allowed") : AdminResponse.error(404, "no such endpoint: " + req.path());
    }
    try {
      return route.handle(req);
    } catch (IllegalArgumentException e) {
      return AdminResponse.error(400, e.getMessage());
    } catch (Exception e) {
      log.atWarn().addKeyValue("path", req.path()).addKeyValue("error", e.toString()).log("admin route failed");
      return AdminResponse.error(500, e.toString());
    }
  }

  private AdminRoute builtIn(AdminRequest req) {
    if (!req.method().equals("GET")) return null;
    return switch (req.path()) {
      case "/health" -> r -> {
        Map<String, Health> h = health.get();
        boolean ok = h.values().stream().allMatch(Health::healthy);
        Map<String, Object> body = new TreeMap<>();
        body.put("status", ok ? "ok" : "degraded");
        body.put("services", h);
        return AdminResponse.json(ok ? 200 : 503, body);
      };
      case "/metrics" -> r -> AdminResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
      case "/api" -> r -> AdminResponse.json(Map.of("routes", List.copyOf(routes.keySet())));
      case "/" -> r -> AdminResponse.text(200, "text/html; charset=utf-8", StatusPage.render(health.get(), routes.keySet()));
      default -> null;
    };
  }

  private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
      if (!msg.decoderResult().isSuccess()) {
        write(ctx, false, AdminResponse.error(400, "malformed HTTP request"));
        return;
      }
      QueryStringDecoder qs = new QueryStringDecoder(msg.uri());
      AdminRequest req = new AdminRequest(msg.method().name(), qs.path(), qs.parameters(), ByteBufUtil.getBytes(msg.content()));
      boolean keepAlive = HttpUtil.isKeepAlive(msg);
      workers.execute(() -> write(ctx, keepAlive, dispatch(req)));
    }

    private void write(ChannelHandlerContext ctx, boolean keepAlive, AdminResponse r) {
      FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
          Unpooled.wrappedBuffer(r.body()));
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
      resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
      resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      if (keepAlive) {
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(resp);
      } else {
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
