package net.tinyisp.dns.server;

import java.net.InetSocketAddress;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.server.udp.NativeUdpServer;
import net.tinyisp.dns.upstream.NettyTransport;

/**
 * DNS on one address over UDP and TCP, on the same port (RFC 7766 §5: clients retry over TCP on the UDP port).
 * With port 0 the kernel picks the UDP port; that port may already be taken for TCP, so the pair is retried on a
 * fresh port a few times instead of failing the start.
 */
public record UdpTcpListener(UdpListener udp, TcpServer tcp) implements AutoCloseable {
  private static final int ATTEMPTS_FOR_ANY_PORT = 10;

  public static UdpTcpListener bind(NettyTransport transport, InetSocketAddress address, QueryHandler handler,
      int maxUdpSize, int tcpIdleTimeoutMs, Consumer<DropReason> drops) throws Exception {
    return bind(transport, false, 0, address, handler, maxUdpSize, tcpIdleTimeoutMs, drops);
  }

  /**
   * As above; with {@code nativeUdp} (and {@link NativeUdpServer#available()}) UDP is served by the native
   * recvmmsg/sendmmsg loops, one per transport thread, instead of Netty's event loops; under load they spin up to
   * {@code busyPollNanos} before sleeping.
   */
  public static UdpTcpListener bind(NettyTransport transport, boolean nativeUdp, long busyPollNanos,
      InetSocketAddress address,
      QueryHandler handler, int maxUdpSize, int tcpIdleTimeoutMs, Consumer<DropReason> drops) throws Exception {
    int attempts = address.getPort() == 0 ? ATTEMPTS_FOR_ANY_PORT : 1;
    boolean ffm = nativeUdp && NativeUdpServer.available();
    for (int i = 1; ; i++) {
      UdpListener udp = ffm ? NativeUdpServer.bind(address, transport.threads(), handler, maxUdpSize, busyPollNanos, drops)
          : UdpServer.bind(transport, address, handler, maxUdpSize);
      try {
        return new UdpTcpListener(udp, TcpServer.bind(transport, udp.address(), handler, tcpIdleTimeoutMs, drops));
      } catch (Exception tcpPortTaken) {
        udp.close();
        if (i >= attempts) throw tcpPortTaken;
      }
    }
  }

  @Override
  public void close() {
    tcp.close();
    udp.close();
  }
}
