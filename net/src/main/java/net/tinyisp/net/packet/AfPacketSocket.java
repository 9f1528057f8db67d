package net.tinyisp.net.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;

/**
 * A raw AF_PACKET socket on one interface (packet(7)): whole Ethernet frames in and out, received through a
 * TPACKET_V3 memory-mapped ring and sent with {@code sendmmsg(2)} batches.
 *
 * <p>Set-up order matters: the socket is created with protocol 0, so it receives nothing yet; the BPF filter is
 * attached; the ring is configured and mapped; only then {@code bind} with ETH_P_ALL and the interface index starts
 * delivery, so no unfiltered frame is ever queued. Frames this socket's host sends are not looped back to it
 * ({@code PACKET_IGNORE_OUTGOING}).
 *
 * <p>Create it on a thread in the interface's network namespace; afterwards any one thread may use it (one
 * receiving platform thread: {@link #receive} polls with a timeout so the loop can stop).
 */
public final class AfPacketSocket implements AutoCloseable {
  static final int SOL_PACKET = 263;
  static final int PACKET_RX_RING = 5;
  static final int PACKET_STATISTICS = 6;
  static final int PACKET_VERSION = 10;
  static final int PACKET_IGNORE_OUTGOING = 23;
  static final int TPACKET_V3 = 2;
  static final int ETH_P_ALL = 0x0003;
  static final int SOCKADDR_LL = 20;
  private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final AfPacketConfig config;
  private final int ifIndex;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment pollFd;
  private final MemorySegment stats;
  private final MemorySegment statsLen;
  private final RxRing ring;
  private volatile int fd;
  private long received;
  private long sent;
  private long kernelDrops;

  private AfPacketSocket(AfPacketConfig config, int fd, int ifIndex, RxRing ring) {
    this.config = config;
    this.fd = fd;
    this.ifIndex = ifIndex;
    this.ring = ring;
    pollFd = arena.allocate(8, 4);
    pollFd.set(ValueLayout.JAVA_INT, 0, fd);
    stats = arena.allocate(12, 4);
    statsLen = arena.allocate(4, 4);
  }

  /** Opens, filters, maps and binds; needs CAP_NET_RAW in the current thread's network namespace. */
  public static AfPacketSocket open(AfPacketConfig config) throws NativeException {
    int ifIndex = Libc.ifNameToIndex(config.interfaceName());
    if (ifIndex == 0) {
      throw Libc.failure("if_nametoindex(" + config.interfaceName() + ")");
    }
    int fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw Libc.failure("socket(AF_PACKET, SOCK_RAW, 0)");
    }
    MemorySegment mapped = null;
    long ringBytes = (long) config.blockSize() * config.blockCount();
    try (Arena tmp = Arena.ofConfined()) {
      BpfFilter filter = config.etherTypes().isEmpty()
          ? BpfFilter.none() : BpfFilter.etherTypes(config.etherTypes());
      MemorySegment fprog = filter.toFprog(tmp);
      check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_ATTACH_FILTER, fprog, 16), "SO_ATTACH_FILTER");
      MemorySegment one = tmp.allocateFrom(ValueLayout.JAVA_INT, 1);
      check(Libc.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, one, 4), "PACKET_IGNORE_OUTGOING");
      MemorySegment version = tmp.allocateFrom(ValueLayout.JAVA_INT, TPACKET_V3);
      check(Libc.setsockopt(fd, SOL_PACKET, PACKET_VERSION, version, 4), "PACKET_VERSION TPACKET_V3");
      // struct tpacket_req3 { block_size, block_nr, frame_size, frame_nr, retire_blk_tov, sizeof_priv,
      //                       feature_req_word } (7 x u32)
      MemorySegment req = tmp.allocate(28, 4);
      req.set(ValueLayout.JAVA_INT, 0, config.blockSize());
      req.set(ValueLayout.JAVA_INT, 4, config.blockCount());
      req.set(ValueLayout.JAVA_INT, 8, AfPacketConfig.FRAME_SIZE);
      req.set(ValueLayout.JAVA_INT, 12, (int) (ringBytes / AfPacketConfig.FRAME_SIZE));
      req.set(ValueLayout.JAVA_INT, 16, config.blockTimeoutMillis());
      check(Libc.setsockopt(fd, SOL_PACKET, PACKET_RX_RING, req, 28), "PACKET_RX_RING " + config.blockCount()
          + " x " + config.blockSize());
      mapped = Libc.mmap(ringBytes, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
      if (mapped == null) {
        throw Libc.failure("mmap(packet ring, " + ringBytes + " bytes)");
      }
      // struct sockaddr_ll { u16 family; be16 protocol; int ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8]; }
      MemorySegment sll = tmp.allocate(SOCKADDR_LL, 4);
      sll.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_PACKET);
      sll.set(BE16, 2, (short) ETH_P_ALL);
      sll.set(ValueLayout.JAVA_INT, 4, ifIndex);
      check(Libc.bind(fd, sll, SOCKADDR_LL), "bind(" + config.interfaceName() + ")");
      return new AfPacketSocket(config, fd, ifIndex, new RxRing(mapped, config.blockSize(), config.blockCount()));
    } catch (NativeException | RuntimeException e) {
      if (mapped != null) {
        Libc.munmap(mapped);
      }
      Libc.close(fd);
      throw e;
    }
  }

  private static void check(int result, String what) throws NativeException {
    if (result < 0) {
      throw Libc.failure("setsockopt/bind " + what);
    }
  }

  public AfPacketConfig config() {
    return config;
  }

  public int interfaceIndex() {
    return ifIndex;
  }

  public int fd() {
    return fd;
  }

  /**
   * Waits up to {@code timeoutMillis} for a filled ring block, then passes every frame of every ready block to the
   * handler. Returns the number of frames handled (0 on timeout).
   */
  public int receive(FrameHandler handler, int timeoutMillis) throws NativeException {
    if (!ring.ready()) {
      pollFd.set(ValueLayout.JAVA_SHORT, 4, (short) (Libc.POLLIN | Libc.POLLERR));
      pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
      int r = Libc.poll(pollFd, 1, timeoutMillis);
      if (r < 0) {
        int e = Libc.errno();
        if (e == Libc.EINTR) {
          return 0;
        }
        throw new NativeException("poll(packet socket)", e, Libc.strerror(e));
      }
      if (!ring.ready()) {
        return 0;
      }
    }
    int n = ring.drain(handler, config.blockCount());
    received += n;
    return n;
  }

  /** Sends one frame (Ethernet header included). Returns false when the socket buffer is full (EAGAIN/ENOBUFS). */
  public boolean send(MemorySegment frame, int length) throws NativeException {
    while (true) {
      long n = Libc.send(fd, frame, length, 0);
      if (n >= 0) {
        sent++;
        return true;
      }
      int e = Libc.errno();
      if (e == Libc.EAGAIN || e == Libc.ENOBUFS) {
        return false;
      }
      if (e != Libc.EINTR) {
        throw new NativeException("send(packet socket)", e, Libc.strerror(e));
      }
    }
  }

  /**
   * Sends the batch's frames from index {@code from} with one {@code sendmmsg}. Returns how many were sent (may be
   * fewer than queued when the socket buffer fills; retry the rest later).
   */
  public int send(FrameBatch batch, int from) throws NativeException {
    int count = batch.size() - from;
    if (count <= 0) {
      return 0;
    }
    while (true) {
      int n = Libc.sendmmsg(fd, batch.headers(from), count, 0);
      if (n >= 0) {
        sent += n;
        return n;
      }
      int e = Libc.errno();
      if (e == Libc.EAGAIN || e == Libc.ENOBUFS) {
        return 0;
      }
      if (e != Libc.EINTR) {
        throw new NativeException("sendmmsg(packet socket)", e, Libc.strerror(e));
      }
    }
  }

  /** Frames handed to receive handlers so far. */
  public long received() {
    return received;
  }

  public long sent() {
    return sent;
  }

  /**
   * Reads and resets the kernel's PACKET_STATISTICS (tpacket_stats_v3) and returns how many frames it dropped
   * since the last call because the ring was full; the running total is {@link #kernelDrops()}.
   */
  public long pollKernelDrops() throws NativeException {
    statsLen.set(ValueLayout.JAVA_INT, 0, 12);
    if (Libc.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats, statsLen) < 0) {
      throw Libc.failure("getsockopt PACKET_STATISTICS");
    }
    long drops = Integer.toUnsignedLong(stats.get(ValueLayout.JAVA_INT, 4));
    kernelDrops += drops;
    return drops;
  }

  public long kernelDrops() {
    return kernelDrops;
  }

  @Override
  public synchronized void close() {
    int f = fd;
    if (f >= 0) {
      fd = -1;
      Libc.munmap(ring.memory());
      Libc.close(f);
      arena.close();
    }
  }
}
