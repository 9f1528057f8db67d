package net.tinyisp.dns.server;

import java.net.InetSocketAddress;

/** DNS over UDP on one address, whichever I/O serves it (Netty's {@link UdpServer} or the native loop). */
public interface UdpListener extends AutoCloseable {
  /** The bound address (the port resolved when port 0 was asked). */
  InetSocketAddress address();

  /** Seconds its loops spent busy polling (native UDP; 0 where the I/O does not poll). */
  default double busyPollSeconds() {
    return 0;
  }

  @Override
  void close();
}
