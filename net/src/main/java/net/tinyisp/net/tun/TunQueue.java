package net.tinyisp.net.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;

/**
 * One queue (one non-blocking fd) of a {@link TunDevice}. Each queue is meant to be served by one platform thread:
 * {@code poll} with a timeout, then {@code read} until it returns {@link #WOULD_BLOCK}. A native {@code read(2)} would
 * pin a virtual thread's carrier, hence platform threads. Reads and writes use caller-owned segments, so the packet
 * loop allocates nothing. Buffers must be native segments (from an {@code Arena}); heap segments cannot be passed
 * to a system call.
 */
public final class TunQueue implements AutoCloseable {
  /** Returned by {@link #read} and {@link #write} when the fd is not ready (EAGAIN). */
  public static final int WOULD_BLOCK = -1;

  private final int index;
  private final boolean vnetHeader;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment pollFd = arena.allocate(8, 4);
  private volatile int fd;

  TunQueue(int index, int fd, boolean vnetHeader) {
    this.index = index;
    this.fd = fd;
    this.vnetHeader = vnetHeader;
    pollFd.set(ValueLayout.JAVA_INT, 0, fd);
  }

  public int index() {
    return index;
  }

  /** The raw fd, for callers that poll several queues or sockets at once. */
  public int fd() {
    return fd;
  }

  /** Whether each packet read or written starts with a {@link VirtioNetHeader#LENGTH}-byte virtio header. */
  public boolean vnetHeader() {
    return vnetHeader;
  }

  /**
   * Reads one packet (with its virtio header when enabled) into the start of {@code buffer}. Returns its length,
   * or {@link #WOULD_BLOCK}. A packet longer than the buffer is truncated by the kernel, so give at least
   * MTU bytes (65 550 with TSO/USO).
   */
  public int read(MemorySegment buffer) throws NativeException {
    while (true) {
      long n = Libc.read(fd, buffer, buffer.byteSize());
      if (n >= 0) {
        return (int) n;
      }
      int e = Libc.errno();
      if (e == Libc.EAGAIN) {
        return WOULD_BLOCK;
      }
      if (e != Libc.EINTR) {
        throw new NativeException("read(tun queue " + index + ")", e, Libc.strerror(e));
      }
    }
  }

  /**
   * Writes one packet of {@code length} bytes from the start of {@code buffer}. Returns the length, or
   * {@link #WOULD_BLOCK} when the queue is full; the kernel rejects malformed packets with EINVAL.
   */
  public int write(MemorySegment buffer, int length) throws NativeException {
    while (true) {
      long n = Libc.write(fd, buffer, length);
      if (n >= 0) {
        return (int) n;
      }
      int e = Libc.errno();
      if (e == Libc.EAGAIN) {
        return WOULD_BLOCK;
      }
      if (e != Libc.EINTR) {
        throw new NativeException("write(tun queue " + index + ")", e, Libc.strerror(e));
      }
    }
  }

  /** Waits up to {@code timeoutMillis} for a packet; true when one is readable. */
  public boolean pollIn(int timeoutMillis) throws NativeException {
    return poll(Libc.POLLIN, timeoutMillis);
  }

  /** Waits up to {@code timeoutMillis} until a write would not block. */
  public boolean pollOut(int timeoutMillis) throws NativeException {
    return poll(Libc.POLLOUT, timeoutMillis);
  }

  private boolean poll(short events, int timeoutMillis) throws NativeException {
    pollFd.set(ValueLayout.JAVA_SHORT, 4, events);
    pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
    int r = Libc.poll(pollFd, 1, timeoutMillis);
    if (r < 0) {
      int e = Libc.errno();
      if (e == Libc.EINTR) {
        return false;
      }
      throw new NativeException("poll(tun queue " + index + ")", e, Libc.strerror(e));
    }
    short revents = pollFd.get(ValueLayout.JAVA_SHORT, 6);
    if ((revents & (Libc.POLLERR | Libc.POLLNVAL)) != 0) {
      throw new NativeException("poll(tun queue " + index + ") revents=0x" + Integer.toHexString(revents), 0,
          "queue failed");
    }
    return r > 0 && (revents & events) != 0;
  }

  @Override
  public synchronized void close() {
    int f = fd;
    if (f >= 0) {
      fd = -1;
      Libc.close(f);
      arena.close();
    }
  }
}
