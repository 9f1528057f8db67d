package net.tinyisp.dns.server.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.server.UdpListener;

/**
 * DNS over UDP on one address without Netty: one SO_REUSEPORT socket per thread, each served by a
 * {@link DatagramLoop} on its own platform thread (a blocking native call would pin a virtual thread's carrier).
 * Used on Linux because it spends less CPU per answer than the epoll event loop (docs/bench/dns64.md): no
 * epoll_wait per batch, no per-datagram Java objects, and a cache hit costs two memory copies.
 */
public final class NativeUdpServer implements UdpListener {
  private static final int SOCKET_BUFFER = 4 << 20;
  /** How often a blocked receive looks at the stop flag if the shutdown wake-up were missed. */
  private static final int RECEIVE_TIMEOUT_MS = 500;

  private final InetSocketAddress bound;
  private final List<DatagramLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final java.util.concurrent.atomic.LongAdder busyPollNanos = new java.util.concurrent.atomic.LongAdder();

  private NativeUdpServer(InetSocketAddress bound) {
    this.bound = bound;
  }

  /** True where this implementation runs: Linux on x86-64 or aarch64 with FFM access to libc. */
  public static boolean available() {
    String os = System.getProperty("os.name", "");
    String arch = System.getProperty("os.arch", "");
    if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) return false;
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) return false;
    try {
      Class.forName(DatagramSyscalls.class.getName(), true, NativeUdpServer.class.getClassLoader());
      return true;
    } catch (Throwable e) {
      return false;
    }
  }

  public static NativeUdpServer bind(InetSocketAddress address, int sockets, QueryHandler handler, int maxUdpSize,
      Consumer<DropReason> drops) {
    return bind(address, sockets, handler, maxUdpSize, 0, drops);
  }

  /** As above; each loop spins up to {@code busyPollNanos} before it sleeps while it is busy ({@link BusyPoll}). */
  public static NativeUdpServer bind(InetSocketAddress address, int sockets, QueryHandler handler, int maxUdpSize,
      long busyPollNanos, Consumer<DropReason> drops) {
    if (address.getPort() != 0) {
      // SO_REUSEPORT would let this socket silently share a port another tinyisp (same user) already serves;
      // a plain bind first turns that into the usual "address in use" at start.
      try (java.net.DatagramSocket probe = new java.net.DatagramSocket(address)) {
        probe.setReuseAddress(false);
      } catch (java.net.SocketException e) {
        throw new IllegalStateException("UDP " + address + " is in use: " + e.getMessage(), e);
      }
    }
    List<Integer> fds = new ArrayList<>();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = DatagramSyscalls.newState(a);
      InetSocketAddress local = null;
      for (int i = 0; i < sockets; i++) {
        int fd = open(a, st, local == null ? address : local);
        fds.add(fd);
        if (local == null) local = localAddress(a, st, fd, address.getAddress());
      }
      NativeUdpServer s = new NativeUdpServer(local);
      for (int i = 0; i < fds.size(); i++) {
        DatagramLoop loop = new DatagramLoop(fds.get(i), handler, maxUdpSize, busyPollNanos, s.busyPollNanos, drops);
        Thread t = Thread.ofPlatform().daemon().name("tinyisp-dns-udp-" + local.getPort() + "-" + i).unstarted(loop);
        s.loops.add(loop);
        s.threads.add(t);
      }
      fds.clear();
      s.threads.forEach(Thread::start);
      return s;
    } finally {
      if (!fds.isEmpty()) {
        try (Arena a = Arena.ofConfined()) {
          MemorySegment st = DatagramSyscalls.newState(a);
          for (int fd : fds) DatagramSyscalls.close(st, fd);
        }
      }
    }
  }

  private static int open(Arena a, MemorySegment st, InetSocketAddress address) {
    boolean v6 = address.getAddress() instanceof Inet6Address;
    int fd = DatagramSyscalls.socket(st, v6 ? DatagramSyscalls.AF_INET6 : DatagramSyscalls.AF_INET,
        DatagramSyscalls.SOCK_DGRAM | DatagramSyscalls.SOCK_CLOEXEC, 0);
    if (fd < 0) throw failure(st, "socket");
    try {
      setInt(a, st, fd, DatagramSyscalls.SO_REUSEPORT, 1);
      setInt(a, st, fd, DatagramSyscalls.SO_RCVBUF, SOCKET_BUFFER);
      setInt(a, st, fd, DatagramSyscalls.SO_SNDBUF, SOCKET_BUFFER);
      MemorySegment tv = a.allocate(16, 8); // struct timeval { time_t tv_sec; suseconds_t tv_usec; }
      tv.set(ValueLayout.JAVA_LONG, 0, RECEIVE_TIMEOUT_MS / 1000);
      tv.set(ValueLayout.JAVA_LONG, 8, RECEIVE_TIMEOUT_MS % 1000 * 1000L);
      if (DatagramSyscalls.setsockopt(st, fd, DatagramSyscalls.SOL_SOCKET, DatagramSyscalls.SO_RCVTIMEO, tv, 16) < 0) {
        throw failure(st, "setsockopt(SO_RCVTIMEO)");
      }
      MemorySegment sa = sockaddr(a, address);
      if (DatagramSyscalls.bind(st, fd, sa, (int) sa.byteSize()) < 0) throw failure(st, "bind " + address);
      return fd;
    } catch (RuntimeException e) {
      DatagramSyscalls.close(st, fd);
      throw e;
    }
  }

  private static void setInt(Arena a, MemorySegment st, int fd, int option, int value) {
    MemorySegment v = a.allocateFrom(ValueLayout.JAVA_INT, value);
    if (DatagramSyscalls.setsockopt(st, fd, DatagramSyscalls.SOL_SOCKET, option, v, 4) < 0) {
      throw failure(st, "setsockopt(" + option + ")");
    }
  }

  /** struct sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes); the family is host order, the port network order. */
  static MemorySegment sockaddr(Arena a, InetSocketAddress address) {
    byte[] ip = address.getAddress().getAddress();
    int port = address.getPort();
    MemorySegment s = a.allocate(ip.length == 4 ? 16 : 28, 4);
    s.set(ValueLayout.JAVA_SHORT, 0, (short) (ip.length == 4 ? DatagramSyscalls.AF_INET : DatagramSyscalls.AF_INET6));
    s.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >> 8));
    s.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
    if (ip.length == 4) {
      MemorySegment.copy(ip, 0, s, ValueLayout.JAVA_BYTE, 4, 4);
    } else {
      MemorySegment.copy(ip, 0, s, ValueLayout.JAVA_BYTE, 8, 16);
      s.set(ValueLayout.JAVA_INT, 24, ((Inet6Address) address.getAddress()).getScopeId());
    }
    return s;
  }

  private static InetSocketAddress localAddress(Arena a, MemorySegment st, int fd, InetAddress requested) {
    MemorySegment sa = a.allocate(MessageVector.NAME, 8);
    MemorySegment len = a.allocateFrom(ValueLayout.JAVA_INT, MessageVector.NAME);
    if (DatagramSyscalls.getsockname(st, fd, sa, len) < 0) throw failure(st, "getsockname");
    int port = (sa.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8 | sa.get(ValueLayout.JAVA_BYTE, 3) & 0xff;
    return new InetSocketAddress(requested, port); // the address as asked, the port as the kernel chose it
  }

  private static IllegalStateException failure(MemorySegment st, String what) {
    int e = DatagramSyscalls.errno(st);
    return new IllegalStateException(what + ": " + DatagramSyscalls.strerror(e) + " (errno " + e + ")");
  }

  @Override
  public double busyPollSeconds() {
    return busyPollNanos.sum() / 1e9;
  }

  @Override
  public InetSocketAddress address() {
    return bound;
  }

  @Override
  public void close() {
    for (DatagramLoop l : loops) l.stop();
    boolean interrupted = false;
    for (Thread t : threads) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = DatagramSyscalls.newState(a);
      for (int i = 0; i < loops.size(); i++) {
        DatagramSyscalls.close(st, loops.get(i).fd());
        if (!threads.get(i).isAlive()) loops.get(i).release();
      }
    }
    loops.clear();
    threads.clear();
    if (interrupted) Thread.currentThread().interrupt();
  }
}
