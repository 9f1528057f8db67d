package net.tinyisp.dns.server.xdp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;
import net.tinyisp.net.xdp.XdpSteering;
import net.tinyisp.net.xdp.XskSocket;

/**
 * DNS over UDP through AF_XDP on one interface, beside the socket listeners: an XDP program steers the UDP datagrams
 * addressed to the service's listen addresses to one AF_XDP socket per receive queue, each served by an
 * {@link XdpLoop}; everything else on the interface (ARP, neighbour discovery, TCP, other addresses and ports,
 * fragments, IPv4 options) goes on to the kernel, so TCP and the socket listeners keep working. Closing detaches
 * the program.
 */
public final class XdpUdpServer implements AutoCloseable {
  /** UMEM frames per socket: half receive, half send. */
  static final int FRAMES = 4096;
  private static final long SIOCGIFMTU = 0x8921;
  private static final long SIOCGIFFLAGS = 0x8913;
  private static final int IFF_LOOPBACK = 0x8;

  private final XdpSteering steering;
  private final List<XskSocket> sockets = new ArrayList<>();
  private final List<XdpLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final LongAdder busyPollNanos = new LongAdder();
  private final LongAdder frames = new LongAdder();

  private XdpUdpServer(XdpSteering steering) {
    this.steering = steering;
  }

  /**
   * Attaches to {@code interfaceName} (in this thread's network namespace), queues 0 to {@code queues - 1}, in
   * {@code mode} ({@link XdpSteering#DRIVER_MODE} or {@link XdpSteering#SKB_MODE}) for {@code destinations}.
   */
  public static XdpUdpServer start(String interfaceName, int queues, int mode, List<InetSocketAddress> destinations,
      QueryHandler handler, int maxUdpSize, long busyPollNanos, Consumer<DropReason> drops) throws NativeException {
    int ifindex = Libc.ifNameToIndex(interfaceName);
    if (ifindex == 0) throw new IllegalArgumentException("xdp-interface: no interface named '" + interfaceName + "'");
    // frames sent from an AF_XDP socket on loopback never come back in (measured: queries steered and answered,
    // no answer delivered), so a loopback xdp-interface would swallow queries: refuse it
    if ((ifreq(interfaceName, SIOCGIFFLAGS) & IFF_LOOPBACK) != 0) {
      throw new IllegalArgumentException("xdp-interface " + interfaceName
          + " is a loopback interface: AF_XDP cannot answer on it; serve loopback clients through the sockets");
    }
    int mtu = ifreq(interfaceName, SIOCGIFMTU);
    int room = XskSocket.FRAME - UdpFrame.headerLength(true);
    int limit4 = Math.min(Math.min(maxUdpSize, mtu - 28), room);
    int limit6 = Math.min(Math.min(maxUdpSize, mtu - 48), room);
    if (limit4 < 512 || limit6 < 512) {
      throw new IllegalArgumentException("xdp-interface " + interfaceName + ": MTU " + mtu
          + " leaves less than 512 bytes for a DNS answer");
    }
    XdpUdpServer s = new XdpUdpServer(XdpSteering.attach(interfaceName, ifindex, destinations, queues, mode));
    try {
      for (int q = 0; q < queues; q++) {
        XskSocket xsk = XskSocket.open(ifindex, q, FRAMES, 0);
        s.sockets.add(xsk);
        XdpLoop loop = new XdpLoop(xsk, handler, limit4, limit6, busyPollNanos, s.busyPollNanos, s.frames, drops);
        s.loops.add(loop);
        s.steering.register(q, xsk.fd());
        Thread t = Thread.ofPlatform().daemon().name("tinyisp-dns-xdp-" + interfaceName + "-" + q).unstarted(loop);
        s.threads.add(t);
        t.start();
      }
      return s;
    } catch (NativeException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The int at the start of {@code struct ifreq}'s union for {@code request} (SIOCGIFMTU, SIOCGIFFLAGS). */
  private static int ifreq(String name, long request) throws NativeException {
    int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
    if (fd < 0) throw Libc.failure("socket for ioctl on " + name);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ifr = a.allocate(40, 8);
      byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, Math.min(n.length, 15));
      if (Libc.ioctl(fd, request, ifr) < 0) throw Libc.failure("ioctl(0x" + Long.toHexString(request) + ", " + name + ")");
      return request == SIOCGIFFLAGS ? ifr.get(ValueLayout.JAVA_SHORT, 16) & 0xffff : ifr.get(ValueLayout.JAVA_INT, 16);
    } finally {
      Libc.close(fd);
    }
  }

  public double busyPollSeconds() {
    return busyPollNanos.sum() / 1e9;
  }

  /** Frames the XDP program steered to the sockets and the loops took from their RX rings. */
  public long frames() {
    return frames.sum();
  }

  /** Frames the kernel could not put into the RX rings (ring full, fill ring empty, other), summed over sockets. */
  public long kernelDrops() {
    long sum = 0;
    for (XskSocket x : List.copyOf(sockets)) {
      XskSocket.Statistics st = x.statistics();
      sum += st.rxDropped() + st.rxRingFull() + st.rxFillRingEmpty();
    }
    return sum;
  }

  @Override
  public void close() {
    for (int q = 0; q < loops.size(); q++) steering.unregister(q);
    for (XdpLoop l : loops) l.stop();
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    steering.close();
    for (XdpLoop l : loops) l.release();
    for (XskSocket x : sockets) x.close();
    loops.clear();
    sockets.clear();
    threads.clear();
  }
}
