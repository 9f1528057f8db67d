package net.tinyisp.net.xdp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;

/**
 * An AF_XDP socket bound to one queue of an interface, with its own UMEM: {@code frames} frames of
 * {@link #FRAME} bytes, the first half lent to the kernel for receiving (fill ring), the second half for sending.
 * Not thread-safe: one thread receives, answers and sends.
 *
 * <p>Receive: {@link #receive(int)} returns how many frames arrived; {@link #rxAddress}/{@link #rxLength} give each;
 * {@link #releaseReceived} hands them back to the fill ring. Send: {@link #txFrame} takes a free send frame (or -1),
 * {@link #submit} queues it with its length, {@link #flush} publishes the queued frames and kicks the kernel, which
 * in copy mode transmits them from inside the send call. Frames come back through the completion ring.
 *
 * <p>Constants and layouts are from {@code include/uapi/linux/if_xdp.h}.
 */
public final class XskSocket implements AutoCloseable {
  public static final int FRAME = 4096;
  private static final int AF_XDP = 44;
  private static final int SOL_XDP = 283;
  private static final int XDP_MMAP_OFFSETS = 1;
  private static final int XDP_RX_RING = 2;
  private static final int XDP_TX_RING = 3;
  private static final int XDP_UMEM_REG = 4;
  private static final int XDP_UMEM_FILL_RING = 5;
  private static final int XDP_UMEM_COMPLETION_RING = 6;
  private static final int XDP_STATISTICS = 7;
  private static final long PGOFF_RX_RING = 0;
  private static final long PGOFF_TX_RING = 0x80000000L;
  private static final long PGOFF_FILL_RING = 0x100000000L;
  private static final long PGOFF_COMPLETION_RING = 0x180000000L;
  /** sockaddr_xdp flags. */
  public static final int XDP_COPY = 1 << 1;
  public static final int XDP_ZEROCOPY = 1 << 2;
  private static final int XDP_USE_NEED_WAKEUP = 1 << 3;
  private static final int EBUSY = 16;

  private final int fd;
  private final MemorySegment umem;
  private final XskRing rx;
  private final XskRing tx;
  private final XskRing fill;
  private final XskRing completion;
  private final long[] freeTxStack;
  private int freeTxTop;
  private int rxBatch;
  private int txQueued;
  private final MemorySegment kick;

  private XskSocket(int fd, MemorySegment umem, XskRing rx, XskRing tx, XskRing fill, XskRing completion, int frames) {
    this.fd = fd;
    this.umem = umem;
    this.rx = rx;
    this.tx = tx;
    this.fill = fill;
    this.completion = completion;
    this.freeTxStack = new long[frames / 2];
    for (int i = frames / 2; i < frames; i++) freeTxStack[freeTxTop++] = (long) i * FRAME;
    this.kick = MemorySegment.NULL;
  }

  /**
   * Opens a socket on {@code ifindex} queue {@code queue} with {@code frames} UMEM frames (a power of two, at least
   * 64); {@code bindFlags} is 0 (zero-copy when the driver can, else copy), {@link #XDP_COPY} or
   * {@link #XDP_ZEROCOPY}.
   */
  public static XskSocket open(int ifindex, int queue, int frames, int bindFlags) throws NativeException {
    if (frames < 64 || Integer.bitCount(frames) != 1) throw new IllegalArgumentException("frames: power of two >= 64");
    int ring = frames / 2;
    int fd = Libc.socket(AF_XDP, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
    if (fd < 0) throw Libc.failure("socket(AF_XDP)");
    MemorySegment umem = null;
    try (Arena arena = Arena.ofConfined()) {
      long umemBytes = (long) frames * FRAME;
      umem = Libc.mmap(umemBytes, Libc.PROT_READ | Libc.PROT_WRITE,
          Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_POPULATE, -1, 0);
      if (umem == null) throw Libc.failure("mmap(UMEM, " + umemBytes + " bytes)");
      MemorySegment reg = arena.allocate(32, 8);
      reg.set(ValueLayout.JAVA_LONG, 0, umem.address());
      reg.set(ValueLayout.JAVA_LONG, 8, umemBytes);
      reg.set(ValueLayout.JAVA_INT, 16, FRAME); // chunk_size; headroom 0, flags 0
      check(Libc.setsockopt(fd, SOL_XDP, XDP_UMEM_REG, reg, 32), "setsockopt(XDP_UMEM_REG)");
      MemorySegment n = arena.allocateFrom(ValueLayout.JAVA_INT, ring);
      check(Libc.setsockopt(fd, SOL_XDP, XDP_UMEM_FILL_RING, n, 4), "setsockopt(XDP_UMEM_FILL_RING)");
      check(Libc.setsockopt(fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, n, 4), "setsockopt(XDP_UMEM_COMPLETION_RING)");
      check(Libc.setsockopt(fd, SOL_XDP, XDP_RX_RING, n, 4), "setsockopt(XDP_RX_RING)");
      check(Libc.setsockopt(fd, SOL_XDP, XDP_TX_RING, n, 4), "setsockopt(XDP_TX_RING)");
      MemorySegment off = arena.allocate(128, 8);
      MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, 128);
      check(Libc.getsockopt(fd, SOL_XDP, XDP_MMAP_OFFSETS, off, len), "getsockopt(XDP_MMAP_OFFSETS)");
      XskRing rx = ring(fd, off, 0, PGOFF_RX_RING, ring, 16, "RX");
      XskRing tx = ring(fd, off, 32, PGOFF_TX_RING, ring, 16, "TX");
      XskRing fill = ring(fd, off, 64, PGOFF_FILL_RING, ring, 8, "fill");
      XskRing completion = ring(fd, off, 96, PGOFF_COMPLETION_RING, ring, 8, "completion");
      // lend the receive half of the UMEM to the kernel before binding, so the first frames have somewhere to go
      for (int i = 0; i < ring; i++) fill.descs.set(ValueLayout.JAVA_LONG, 8L * i, (long) i * FRAME);
      fill.local = ring;
      fill.publishProducer(ring);
      MemorySegment sxdp = arena.allocate(16, 4);
      sxdp.set(ValueLayout.JAVA_SHORT, 0, (short) AF_XDP);
      sxdp.set(ValueLayout.JAVA_SHORT, 2, (short) (bindFlags | XDP_USE_NEED_WAKEUP));
      sxdp.set(ValueLayout.JAVA_INT, 4, ifindex);
      sxdp.set(ValueLayout.JAVA_INT, 8, queue);
      check(Libc.bind(fd, sxdp, 16), "bind(AF_XDP, ifindex " + ifindex + ", queue " + queue + ")");
      return new XskSocket(fd, umem, rx, tx, fill, completion, frames);
    } catch (NativeException | RuntimeException e) {
      Libc.close(fd);
      if (umem != null) Libc.munmap(umem);
      throw e;
    }
  }

  private static XskRing ring(int fd, MemorySegment off, long at, long pgoff, int size, int descSize, String name)
      throws NativeException {
    long producer = off.get(ValueLayout.JAVA_LONG, at);
    long consumer = off.get(ValueLayout.JAVA_LONG, at + 8);
    long desc = off.get(ValueLayout.JAVA_LONG, at + 16);
    long flags = off.get(ValueLayout.JAVA_LONG, at + 24);
    long bytes = desc + (long) size * descSize;
    MemorySegment map = Libc.mmap(bytes, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_POPULATE, fd,
        pgoff);
    if (map == null) throw Libc.failure("mmap(AF_XDP " + name + " ring)");
    return new XskRing(map, producer, consumer, desc, flags, size, descSize);
  }

  private static void check(int rc, String what) throws NativeException {
    if (rc < 0) throw Libc.failure(what);
  }

  public int fd() {
    return fd;
  }

  /** The UMEM: frame addresses index into it. */
  public MemorySegment umem() {
    return umem;
  }

  /**
   * Frames that arrived, at most {@code max} (the rest stay for the next call): read them with {@link #rxAddress}
   * and {@link #rxLength}, then {@link #releaseReceived}.
   */
  public int receive(int max) {
    rxBatch = Math.min(rx.producerAcquire() - rx.local, max);
    return rxBatch;
  }

  public long rxAddress(int i) {
    return rx.descs.get(ValueLayout.JAVA_LONG, 16L * ((rx.local + i) & rx.mask));
  }

  public int rxLength(int i) {
    return rx.descs.get(ValueLayout.JAVA_INT, 16L * ((rx.local + i) & rx.mask) + 8);
  }

  /** Returns the frames of the last {@link #receive} to the fill ring (the rings are as large as the receive half). */
  public void releaseReceived() {
    int n = rxBatch;
    if (n == 0) return;
    for (int i = 0; i < n; i++) {
      long addr = rx.descs.get(ValueLayout.JAVA_LONG, 16L * ((rx.local + i) & rx.mask));
      fill.descs.set(ValueLayout.JAVA_LONG, 8L * ((fill.local + i) & fill.mask), addr);
    }
    rx.local += n;
    rx.publishConsumer(rx.local);
    fill.local += n;
    fill.publishProducer(fill.local);
    rxBatch = 0;
  }

  /** A free send frame's UMEM address, or -1 when all are in flight (reclaims completed ones first). */
  public long txFrame() {
    if (freeTxTop == 0) reclaim();
    return freeTxTop == 0 ? -1 : freeTxStack[--freeTxTop];
  }

  /** Queues the frame at {@code address} ({@link #txFrame}) with {@code length} bytes for {@link #flush}. */
  public void submit(long address, int length) {
    long d = 16L * ((tx.local + txQueued) & tx.mask);
    tx.descs.set(ValueLayout.JAVA_LONG, d, address);
    tx.descs.set(ValueLayout.JAVA_INT, d + 8, length);
    tx.descs.set(ValueLayout.JAVA_INT, d + 12, 0);
    txQueued++;
  }

  /** Publishes the queued frames and asks the kernel to send them; false if the kick failed (frames stay queued). */
  public boolean flush() {
    if (txQueued > 0) {
      tx.local += txQueued;
      txQueued = 0;
      tx.publishProducer(tx.local);
    }
    // copy mode sends at most 32 frames per kick (the kernel's per-call budget): kick while the kernel takes frames
    int stalls = 0;
    while (stalls < 2 && tx.consumerAcquire() != tx.local) {
      if (!tx.needsWakeup()) return true;
      int before = tx.consumerAcquire();
      if (Libc.send(fd, kick, 0, Libc.MSG_DONTWAIT) < 0) {
        int e = Libc.errno();
        // EAGAIN/EBUSY/ENOBUFS: the kernel keeps the frames and sends them on a later kick
        if (e != Libc.EAGAIN && e != EBUSY && e != Libc.ENOBUFS && e != Libc.EINTR) return false;
      }
      if (tx.consumerAcquire() == before) stalls++;
    }
    return true;
  }

  /** Whether published frames still wait in the TX ring because a kick found the device busy (EAGAIN/EBUSY). */
  public boolean txUnsent() {
    return tx.consumerAcquire() != tx.local;
  }

  /** Completed send frames back into the free list. */
  public void reclaim() {
    int done = completion.producerAcquire() - completion.local;
    for (int i = 0; i < done; i++) {
      freeTxStack[freeTxTop++] = completion.descs.get(ValueLayout.JAVA_LONG, 8L * ((completion.local + i) & completion.mask));
    }
    if (done > 0) {
      completion.local += done;
      completion.publishConsumer(completion.local);
    }
  }

  /** Whether the kernel wants a syscall (poll or recvfrom) before it fills the RX ring again. */
  public boolean fillNeedsWakeup() {
    return fill.needsWakeup();
  }

  /**
   * The kernel's counters for this socket ({@code struct xdp_statistics}): frames dropped for lack of room in the RX
   * ring ({@code rx_ring_full}), for an empty fill ring ({@code rx_fill_ring_empty_descs}), other RX drops
   * ({@code rx_dropped}) and invalid descriptors; thread-safe (a getsockopt).
   */
  public Statistics statistics() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment st = arena.allocate(48, 8);
      MemorySegment len = arena.allocateFrom(ValueLayout.JAVA_INT, 48);
      if (Libc.getsockopt(fd, SOL_XDP, XDP_STATISTICS, st, len) < 0) return new Statistics(0, 0, 0, 0, 0, 0);
      return new Statistics(st.get(ValueLayout.JAVA_LONG, 0), st.get(ValueLayout.JAVA_LONG, 8),
          st.get(ValueLayout.JAVA_LONG, 16), st.get(ValueLayout.JAVA_LONG, 24), st.get(ValueLayout.JAVA_LONG, 32),
          st.get(ValueLayout.JAVA_LONG, 40));
    }
  }

  /** {@code struct xdp_statistics} of {@code include/uapi/linux/if_xdp.h}. */
  public record Statistics(long rxDropped, long rxInvalidDescs, long txInvalidDescs, long rxRingFull,
      long rxFillRingEmpty, long txRingEmpty) {}

  @Override
  public void close() {
    Libc.close(fd);
    Libc.munmap(rx.mapping());
    Libc.munmap(tx.mapping());
    Libc.munmap(fill.mapping());
    Libc.munmap(completion.mapping());
    Libc.munmap(umem);
  }
}
