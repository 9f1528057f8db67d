package net.tinyisp.dns.server.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@code struct mmsghdr[]} for recvmmsg(2)/sendmmsg(2) in native memory, each entry with one iovec over its own
 * buffer and its own sockaddr storage. Layout (Linux, LP64):
 *
 * <pre>
 * struct mmsghdr {                       struct iovec {
 *   struct msghdr {                         void  *iov_base;   0
 *     void         *msg_name;       0       size_t iov_len;    8
 *     socklen_t     msg_namelen;    8     };                  16
 *     struct iovec *msg_iov;       16
 *     size_t        msg_iovlen;    24
 *     void         *msg_control;   32
 *     size_t        msg_controllen;40
 *     int           msg_flags;     48
 *   } msg_hdr;
 *   unsigned int    msg_len;       56
 * };                               64
 * </pre>
 */
final class MessageVector {
  static final int MMSGHDR = 64;
  private static final int IOVEC = 16;
  /** Room for a sockaddr_in6 (28 bytes). */
  static final int NAME = 32;

  final int capacity;
  final int bufferSize;
  final MemorySegment vec;
  private final MemorySegment iovs;
  private final MemorySegment names;
  private final MemorySegment buffers;

  MessageVector(Arena arena, int capacity, int bufferSize) {
    this.capacity = capacity;
    this.bufferSize = bufferSize;
    vec = arena.allocate((long) MMSGHDR * capacity, 8);
    iovs = arena.allocate((long) IOVEC * capacity, 8);
    names = arena.allocate((long) NAME * capacity, 8);
    buffers = arena.allocate((long) bufferSize * capacity, 64);
    for (int i = 0; i < capacity; i++) {
      long h = (long) MMSGHDR * i;
      MemorySegment iov = iovs.asSlice((long) IOVEC * i, IOVEC);
      iov.set(ValueLayout.ADDRESS, 0, buffer(i));
      iov.set(ValueLayout.JAVA_LONG, 8, bufferSize);
      vec.set(ValueLayout.ADDRESS, h, names.asSlice((long) NAME * i, NAME));
      vec.set(ValueLayout.JAVA_INT, h + 8, NAME);
      vec.set(ValueLayout.ADDRESS, h + 16, iov);
      vec.set(ValueLayout.JAVA_LONG, h + 24, 1);
    }
  }

  /** Before recvmmsg: every entry may take a full buffer and a sockaddr_in6 again. */
  void resetForReceive(int n) {
    for (int i = 0; i < n; i++) {
      long h = (long) MMSGHDR * i;
      vec.set(ValueLayout.JAVA_INT, h + 8, NAME);
      vec.set(ValueLayout.JAVA_INT, h + 48, 0);
    }
  }

  MemorySegment buffer(int i) {
    return buffers.asSlice((long) bufferSize * i, bufferSize);
  }

  long bufferOffset(int i) {
    return (long) bufferSize * i;
  }

  MemorySegment buffers() {
    return buffers;
  }

  MemorySegment names() {
    return names;
  }

  /** Bytes received into entry i (msg_len). */
  int length(int i) {
    return vec.get(ValueLayout.JAVA_INT, (long) MMSGHDR * i + 56);
  }

  int flags(int i) {
    return vec.get(ValueLayout.JAVA_INT, (long) MMSGHDR * i + 48);
  }

  int nameLength(int i) {
    return vec.get(ValueLayout.JAVA_INT, (long) MMSGHDR * i + 8);
  }

  /** For sendmmsg: entry i sends {@code len} bytes of its buffer to the name copied from {@code from}'s entry. */
  void prepareSend(int i, int len, MessageVector from, int fromIndex) {
    long h = (long) MMSGHDR * i;
    int nameLen = from.nameLength(fromIndex);
    MemorySegment.copy(from.names, (long) NAME * fromIndex, names, (long) NAME * i, nameLen);
    vec.set(ValueLayout.JAVA_INT, h + 8, nameLen);
    iovs.set(ValueLayout.JAVA_LONG, (long) IOVEC * i + 8, len);
  }

  /** The entry's vector address from {@code i} on, for resuming a partly sent batch. */
  MemorySegment from(int i) {
    return vec.asSlice((long) MMSGHDR * i);
  }
}
