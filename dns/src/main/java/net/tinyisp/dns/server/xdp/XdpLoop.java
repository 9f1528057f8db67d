package net.tinyisp.dns.server.xdp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.server.Transport;
import net.tinyisp.dns.server.UdpMiss;
import net.tinyisp.dns.server.udp.BusyPoll;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;
import net.tinyisp.net.xdp.XskSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AF_XDP socket (one receive queue) served by one platform thread: the frames the XDP program steered here are
 * parsed ({@link UdpFrame}), cache hits are answered straight into send frames of the same UMEM, and one kick sends
 * the batch. No system call per query and none per batch while the loop busy polls: the rings are shared memory.
 * Queries that need I/O (cache misses) go through {@link QueryHandler#handle}; the thread that completes one builds
 * the reply frame and hands it to this loop through a queue and an eventfd.
 */
final class XdpLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(XdpLoop.class);
  static final int MAX_QUERY = 4096;
  /**
   * Frames served per turn: what one flush sends in a few kicks (copy mode sends 32 per kick). Under overload the
   * rest waits in the RX ring, and what does not fit there the kernel drops before any work is spent on it.
   */
  static final int BATCH = 256;
  private static final int POLL_TIMEOUT_MS = 200;

  private final XskSocket xsk;
  private final MemorySegment umem;
  private final QueryHandler handler;
  private final Consumer<DropReason> drops;
  private final int limit4;
  private final int limit6;
  private final BusyPoll busyPoll;
  private final LongAdder busyPolled;
  private final LongAdder frames;
  private final int eventFd;
  private final ConcurrentLinkedQueue<byte[]> completed = new ConcurrentLinkedQueue<>();
  private final Arena arena = Arena.ofShared();
  private final MemorySegment pollFds = arena.allocate(16, 8);
  private final MemorySegment eventBuf = arena.allocate(8, 8);
  private final byte[] query = new byte[MAX_QUERY];
  private final byte[] answer;
  private final byte[] v4 = new byte[4];
  private final byte[] v6 = new byte[16];
  private volatile boolean running = true;
  /** Guards the eventfd against a completion that writes to it while {@link #release} closes it. */
  private final Object eventFdLock = new Object();
  private boolean eventFdOpen = true;

  /**
   * {@code limit4}/{@code limit6}: the largest UDP payload an answer may have over IPv4/IPv6 (the server's
   * max-udp-size, the interface MTU and the frame size allowing).
   */
  XdpLoop(XskSocket xsk, QueryHandler handler, int limit4, int limit6, long busyPollNanos, LongAdder busyPolled,
      LongAdder frames, Consumer<DropReason> drops) throws NativeException {
    this.xsk = xsk;
    this.umem = xsk.umem();
    this.handler = handler;
    this.limit4 = limit4;
    this.limit6 = limit6;
    this.busyPoll = new BusyPoll(busyPollNanos);
    this.busyPolled = busyPolled;
    this.frames = frames;
    this.drops = drops;
    this.answer = new byte[Math.max(limit4, limit6)];
    this.eventFd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
    if (eventFd < 0) throw Libc.failure("eventfd");
    pollFds.set(ValueLayout.JAVA_INT, 0, xsk.fd());
    pollFds.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
    pollFds.set(ValueLayout.JAVA_INT, 8, eventFd);
    pollFds.set(ValueLayout.JAVA_SHORT, 12, Libc.POLLIN);
  }

  @Override
  public void run() {
    long t0 = System.nanoTime();
    while (running) {
      int n = xsk.receive(BATCH);
      if (n == 0) {
        sendCompleted();
        long spin = busyPoll.spinNanos();
        if (spin > 0) {
          n = spin(t0 + spin);
          busyPolled.add(System.nanoTime() - t0);
        }
        if (n == 0) {
          sleep();
          long t1 = System.nanoTime();
          busyPoll.turn(t1 - t0, 0);
          t0 = t1;
          continue;
        }
      }
      long t1 = System.nanoTime();
      frames.add(n);
      for (int i = 0; i < n; i++) {
        try {
          serve(xsk.rxAddress(i), xsk.rxLength(i));
        } catch (RuntimeException e) {
          log.atWarn().setCause(e).log("unexpected failure serving an XDP query");
        }
      }
      xsk.releaseReceived();
      if (xsk.fillNeedsWakeup()) Libc.poll(pollFds, 1, 0);
      sendCompleted();
      if (!xsk.flush()) drops.accept(DropReason.UDP_SEND_FAILED);
      long t2 = System.nanoTime();
      busyPoll.turn(t1 - t0, t2 - t1);
      t0 = t2;
    }
  }

  /**
   * Watches the RX ring until frames arrive or {@code until} passes, yielding the CPU between looks as
   * {@link BusyPoll} asks of its callers: tinyisp's other threads (upstream I/O for cache misses, GC) may share the
   * core. Looking is a memory read; the yield is the only system call.
   */
  private int spin(long until) {
    do {
      Thread.yield();
      int n = xsk.receive(BATCH);
      if (n > 0) return n;
      if (!completed.isEmpty()) return 0;
    } while (running && System.nanoTime() - until < 0);
    return 0;
  }

  private void sleep() {
    xsk.reclaim();
    int timeout = POLL_TIMEOUT_MS;
    if (xsk.txUnsent()) {
      // answers a busy device refused to take: kick again, and come back soon rather than when a query arrives
      if (!xsk.flush()) drops.accept(DropReason.UDP_SEND_FAILED);
      if (xsk.txUnsent()) timeout = 1;
    }
    int r = Libc.poll(pollFds, 2, timeout);
    if (r > 0 && (pollFds.get(ValueLayout.JAVA_SHORT, 14) & Libc.POLLIN) != 0) {
      Libc.read(eventFd, eventBuf, 8);
    }
  }

  private void serve(long frame, int length) {
    int payload = UdpFrame.parse(umem, frame, length);
    if (payload < 0) {
      drops.accept(DropReason.XDP_MALFORMED);
      return;
    }
    boolean ipv6 = UdpFrame.isIpv6(umem, frame);
    int headers = UdpFrame.headerLength(ipv6);
    int len = Math.min(payload, MAX_QUERY);
    MemorySegment.copy(umem, ValueLayout.JAVA_BYTE, frame + headers, query, 0, len);
    byte[] client = UdpFrame.clientAddress(umem, frame, v4, v6);
    int limit = ipv6 ? limit6 : limit4;
    int alen = handler.answerInto(query, len, client, Transport.UDP, limit, answer);
    if (alen >= 0) {
      long out = xsk.txFrame();
      if (out < 0) {
        drops.accept(DropReason.XDP_TX_FULL);
        return;
      }
      MemorySegment.copy(answer, 0, umem, ValueLayout.JAVA_BYTE, out + headers, alen);
      xsk.submit(out, UdpFrame.writeReply(umem, frame, umem, out, alen));
      return;
    }
    serveLater(frame, headers, len, client, limit);
  }

  /** A query that needs I/O: keeps a copy of its headers to build the reply frame when the answer is there. */
  private void serveLater(long frame, int headers, int len, byte[] client, int limit) {
    byte[] q = Arrays.copyOf(query, len);
    byte[] queryHeaders = new byte[headers];
    MemorySegment.copy(umem, ValueLayout.JAVA_BYTE, frame, queryHeaders, 0, headers);
    byte[] r = UdpMiss.answer(handler, q, client, limit, later -> {
      if (!running) return;
      completed.add(replyFrame(queryHeaders, later));
      wake();
    });
    if (r != null) sendNow(replyFrame(queryHeaders, r));
  }

  private static byte[] replyFrame(byte[] queryHeaders, byte[] dns) {
    byte[] frame = new byte[queryHeaders.length + dns.length];
    System.arraycopy(dns, 0, frame, queryHeaders.length, dns.length);
    int len = UdpFrame.writeReply(MemorySegment.ofArray(queryHeaders), 0, MemorySegment.ofArray(frame), 0,
        dns.length);
    return len == frame.length ? frame : Arrays.copyOf(frame, len);
  }

  private void sendNow(byte[] frame) {
    long out = xsk.txFrame();
    if (out < 0 || frame.length > XskSocket.FRAME) {
      drops.accept(DropReason.XDP_TX_FULL);
      return;
    }
    MemorySegment.copy(frame, 0, umem, ValueLayout.JAVA_BYTE, out, frame.length);
    xsk.submit(out, frame.length);
  }

  private void sendCompleted() {
    byte[] f;
    boolean any = false;
    while ((f = completed.poll()) != null) {
      sendNow(f);
      any = true;
    }
    if (any && !xsk.flush()) drops.accept(DropReason.UDP_SEND_FAILED);
  }

  private void wake() {
    synchronized (eventFdLock) {
      if (!eventFdOpen) return;
      try (Arena a = Arena.ofConfined()) {
        Libc.write(eventFd, a.allocateFrom(ValueLayout.JAVA_LONG, 1L), 8);
      }
    }
  }

  void stop() {
    running = false;
    wake();
  }

  /** After the thread ended. */
  void release() {
    synchronized (eventFdLock) {
      eventFdOpen = false;
      Libc.close(eventFd);
    }
    arena.close();
  }
}
