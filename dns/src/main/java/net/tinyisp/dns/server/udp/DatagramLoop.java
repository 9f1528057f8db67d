package net.tinyisp.dns.server.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.server.Transport;
import net.tinyisp.dns.server.UdpMiss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket served by one platform thread: a blocking recvmmsg(2) with MSG_WAITFORONE takes whatever queries
 * are queued (up to {@link #BATCH}), cache hits are answered straight into the send vector, and one sendmmsg(2)
 * returns the whole batch. Two system calls per batch and no readiness polling, no per-datagram objects: the
 * client's sockaddr goes from the receive entry to the send entry as bytes. Queries that need I/O (cache misses)
 * go through {@link QueryHandler#handle}; their answers are sent by sendto(2) from the thread that completes them.
 * Under heavy load the loop spins briefly on non-blocking receives before it sleeps ({@link BusyPoll}).
 */
final class DatagramLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(DatagramLoop.class);
  static final int BATCH = 64;
  /** Largest query we read; larger datagrams arrive cut (MSG_TRUNC) and are answered FORMERR by the handler. */
  static final int MAX_QUERY = 4096;

  private final int fd;
  private final QueryHandler handler;
  private final Consumer<DropReason> drops;
  private final int maxUdpSize;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment state = DatagramSyscalls.newState(arena);
  private final MessageVector rx = new MessageVector(arena, BATCH, MAX_QUERY);
  private final MessageVector tx;
  private final byte[] query = new byte[MAX_QUERY];
  private final byte[] answer;
  private final byte[] v4 = new byte[4];
  private final byte[] v6 = new byte[16];
  private final BusyPoll busyPoll;
  /** Nanoseconds spent spinning, all loops of the server: the CPU busy polling costs, for the metric. */
  private final LongAdder busyPolled;
  private volatile boolean running = true;

  DatagramLoop(int fd, QueryHandler handler, int maxUdpSize, long busyPollNanos, LongAdder busyPolled,
      Consumer<DropReason> drops) {
    this.fd = fd;
    this.busyPolled = busyPolled;
    this.busyPoll = new BusyPoll(busyPollNanos);
    this.drops = drops;
    this.handler = handler;
    this.maxUdpSize = maxUdpSize;
    this.tx = new MessageVector(arena, BATCH, maxUdpSize);
    this.answer = new byte[maxUdpSize];
  }

  int fd() {
    return fd;
  }

  @Override
  public void run() {
    int used = BATCH;
    long t0 = System.nanoTime();
    while (running) {
      rx.resetForReceive(used);
      long spin = busyPoll.spinNanos();
      int n = 0;
      if (spin > 0) {
        n = spin(t0 + spin);
        busyPolled.add(System.nanoTime() - t0);
      }
      if (n <= 0) n = DatagramSyscalls.recvmmsg(state, fd, rx.vec, BATCH, DatagramSyscalls.MSG_WAITFORONE);
      long t1 = System.nanoTime();
      if (n <= 0) {
        used = 0;
        if (n < 0) {
          int e = DatagramSyscalls.errno(state);
          // EAGAIN: SO_RCVTIMEO passed with nothing to read, a chance to see the stop flag; EINTR: a signal
          if (e != DatagramSyscalls.EAGAIN && e != DatagramSyscalls.EINTR && running) {
            log.warn("recvmmsg on UDP socket {} failed: {}", fd, DatagramSyscalls.strerror(e));
            if (e == DatagramSyscalls.EBADF || e == DatagramSyscalls.EINVAL) return;
          }
        }
        busyPoll.turn(t1 - t0, 0);
        t0 = t1;
        continue; // 0: the socket was shut down (stop)
      }
      used = n;
      int out = 0;
      for (int i = 0; i < n; i++) {
        try {
          out = serve(i, out);
        } catch (RuntimeException e) {
          log.atWarn().setCause(e).log("unexpected failure serving a UDP query");
        }
      }
      if (out > 0) flush(out);
      long t2 = System.nanoTime();
      busyPoll.turn(t1 - t0, t2 - t1);
      t0 = t2;
    }
  }

  /**
   * Non-blocking receives until one returns queries or {@code until} (System.nanoTime) passes, yielding the CPU
   * between them; 0 when nothing came (or the socket reported something the blocking receive will report again).
   */
  private int spin(long until) {
    do {
      int n = DatagramSyscalls.recvmmsg(state, fd, rx.vec, BATCH, DatagramSyscalls.MSG_DONTWAIT);
      if (n > 0) return n;
      if (n == 0 || DatagramSyscalls.errno(state) != DatagramSyscalls.EAGAIN) return 0;
      Thread.yield();
    } while (running && System.nanoTime() - until < 0);
    return 0;
  }

  /** Answers entry i of the receive vector into send slot {@code out} if it can now; returns the next free slot. */
  private int serve(int i, int out) {
    int len = Math.min(rx.length(i), MAX_QUERY);
    MemorySegment.copy(rx.buffers(), ValueLayout.JAVA_BYTE, rx.bufferOffset(i), query, 0, len);
    byte[] client = client(i);
    if (client == null) return out; // not an IP sender: cannot happen on an AF_INET/AF_INET6 socket
    int alen = handler.answerInto(query, len, client, Transport.UDP, maxUdpSize, answer);
    if (alen >= 0) {
      MemorySegment.copy(answer, 0, tx.buffers(), ValueLayout.JAVA_BYTE, tx.bufferOffset(out), alen);
      tx.prepareSend(out, alen, rx, i);
      return out + 1;
    }
    byte[] q = Arrays.copyOf(query, len);
    int nameLen = rx.nameLength(i);
    byte[] name = new byte[nameLen];
    MemorySegment.copy(rx.names(), ValueLayout.JAVA_BYTE, (long) MessageVector.NAME * i, name, 0, nameLen);
    byte[] r = UdpMiss.answer(handler, q, client, maxUdpSize, later -> {
      if (running) sendLater(later, name);
    });
    if (r == null) return out;
    MemorySegment.copy(r, 0, tx.buffers(), ValueLayout.JAVA_BYTE, tx.bufferOffset(out), r.length);
    tx.prepareSend(out, r.length, rx, i);
    return out + 1;
  }

  /** The sender's address: 4 bytes for IPv4 and IPv4-mapped IPv6 (as InetAddress.getByAddress gives), else 16. */
  private byte[] client(int i) {
    MemorySegment names = rx.names();
    long base = (long) MessageVector.NAME * i;
    int family = names.get(ValueLayout.JAVA_SHORT, base) & 0xffff;
    if (family == DatagramSyscalls.AF_INET) {
      MemorySegment.copy(names, ValueLayout.JAVA_BYTE, base + 4, v4, 0, 4);
      return v4;
    }
    if (family != DatagramSyscalls.AF_INET6) return null;
    MemorySegment.copy(names, ValueLayout.JAVA_BYTE, base + 8, v6, 0, 16);
    boolean mapped = v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    for (int k = 0; k < 10 && mapped; k++) mapped = v6[k] == 0;
    if (!mapped) return v6;
    System.arraycopy(v6, 12, v4, 0, 4);
    return v4;
  }

  private void flush(int count) {
    int sent = 0;
    while (sent < count) {
      MemorySegment from = sent == 0 ? tx.vec : tx.from(sent);
      int r = DatagramSyscalls.sendmmsg(state, fd, from, count - sent, 0);
      if (r > 0) {
        sent += r;
      } else if (DatagramSyscalls.errno(state) != DatagramSyscalls.EINTR) {
        sent++; // the first datagram failed (e.g. an unreachable client): its error concerns that client only
        drops.accept(DropReason.UDP_SEND_FAILED);
      }
    }
  }

  /** An answer that completed on another thread (a cache miss): one sendto(2), sockets are thread-safe. */
  private void sendLater(byte[] response, byte[] name) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocateFrom(ValueLayout.JAVA_BYTE, response);
      MemorySegment to = a.allocateFrom(ValueLayout.JAVA_BYTE, name);
      MemorySegment st = DatagramSyscalls.newState(a);
      if (DatagramSyscalls.sendto(st, fd, buf, response.length, to, name.length) < 0) {
        drops.accept(DropReason.UDP_SEND_FAILED);
      }
    } catch (RuntimeException e) {
      log.atWarn().setCause(e).log("sending a UDP answer failed");
    }
  }

  /** Stops the loop: the socket's shutdown wakes a blocked recvmmsg, which then returns 0. */
  void stop() {
    running = false;
    DatagramSyscalls.shutdown(state, fd, DatagramSyscalls.SHUT_RDWR);
  }

  /** After the thread ended: no send can use the memory any more. */
  void release() {
    arena.close();
  }
}
