package net.tinyisp.net.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Frames queued for one {@code sendmmsg(2)} call: {@code capacity} slots of {@code maxFrameLength} bytes with their
 * {@code struct mmsghdr} and {@code struct iovec} prepared once, so a send loop fills slots and calls
 * {@link AfPacketSocket#send(FrameBatch, int)} without allocating. Not thread-safe: one per sending thread.
 *
 * <pre>
 * struct mmsghdr { struct msghdr msg_hdr; unsigned msg_len; }        64 bytes on LP64
 * struct msghdr { void *msg_name @0; socklen_t msg_namelen @8; struct iovec *msg_iov @16; size_t msg_iovlen @24;
 *                 void *msg_control @32; size_t msg_controllen @40; int msg_flags @48; }
 * struct iovec { void *iov_base @0; size_t iov_len @8; }
 * </pre>
 * No destination address: the socket is bound to its interface, and the frame carries the Ethernet header.
 */
public final class FrameBatch implements AutoCloseable {
  static final int MMSGHDR = 64;
  static final int IOVEC = 16;

  private final Arena arena = Arena.ofShared();
  private final int capacity;
  private final int maxFrameLength;
  private final MemorySegment frames;
  private final MemorySegment iovecs;
  private final MemorySegment headers;
  private int size;

  public FrameBatch(int capacity, int maxFrameLength) {
    if (capacity < 1 || capacity > 1024 || maxFrameLength < 14 || maxFrameLength > 65536) {
      throw new IllegalArgumentException("capacity 1..1024 and frame length 14..65536");
    }
    this.capacity = capacity;
    this.maxFrameLength = maxFrameLength;
    frames = arena.allocate((long) capacity * maxFrameLength, 64);
    iovecs = arena.allocate((long) capacity * IOVEC, 8);
    headers = arena.allocate((long) capacity * MMSGHDR, 8);
    for (int i = 0; i < capacity; i++) {
      iovecs.set(ValueLayout.ADDRESS, (long) i * IOVEC, frames.asSlice((long) i * maxFrameLength, maxFrameLength));
      headers.set(ValueLayout.ADDRESS, (long) i * MMSGHDR + 16, iovecs.asSlice((long) i * IOVEC, IOVEC));
      headers.set(ValueLayout.JAVA_LONG, (long) i * MMSGHDR + 24, 1L);
    }
  }

  public int capacity() {
    return capacity;
  }

  public int size() {
    return size;
  }

  public boolean isFull() {
    return size == capacity;
  }

  /** The next free slot's buffer ({@code maxFrameLength} bytes); call {@link #commit} with the frame's length. */
  public MemorySegment next() {
    if (size == capacity) {
      throw new IllegalStateException("batch full");
    }
    return frames.asSlice((long) size * maxFrameLength, maxFrameLength);
  }

  public void commit(int length) {
    if (length < 14 || length > maxFrameLength) {
      throw new IllegalArgumentException("frame length " + length + " outside 14.." + maxFrameLength);
    }
    iovecs.set(ValueLayout.JAVA_LONG, (long) size * IOVEC + 8, length);
    size++;
  }

  /** Forgets every queued frame. */
  public void clear() {
    size = 0;
  }

  /** Drops the first {@code sent} frames, moving the rest to the front (after a partial send). */
  public void removeFirst(int sent) {
    if (sent >= size) {
      size = 0;
      return;
    }
    for (int i = sent; i < size; i++) {
      long len = iovecs.get(ValueLayout.JAVA_LONG, (long) i * IOVEC + 8);
      MemorySegment.copy(frames, (long) i * maxFrameLength, frames, (long) (i - sent) * maxFrameLength, len);
      iovecs.set(ValueLayout.JAVA_LONG, (long) (i - sent) * IOVEC + 8, len);
    }
    size -= sent;
  }

  MemorySegment headers(int from) {
    return headers.asSlice((long) from * MMSGHDR);
  }

  @Override
  public void close() {
    arena.close();
  }
}
