package net.tinyisp.dns.server.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux libc calls a UDP DNS listener needs, bound once through FFM (the same approach as the net module's
 * {@code Libc}, copied here so dns keeps depending on common only). Each call captures {@code errno} into a segment
 * the caller owns (one per thread), so the hot path allocates nothing and reads errno on the thread that failed.
 */
final class DatagramSyscalls {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout ADDR = ValueLayout.ADDRESS;

  private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle GETSOCKNAME = bind("getsockname", FunctionDescriptor.of(INT, INT, ADDR, ADDR));
  private static final MethodHandle SETSOCKOPT =
      bind("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ADDR, INT));
  private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle SHUTDOWN = bind("shutdown", FunctionDescriptor.of(INT, INT, INT));
  // int recvmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags, struct timespec *timeout)
  private static final MethodHandle RECVMMSG =
      bind("recvmmsg", FunctionDescriptor.of(INT, INT, ADDR, INT, INT, ADDR));
  private static final MethodHandle SENDMMSG = bind("sendmmsg", FunctionDescriptor.of(INT, INT, ADDR, INT, INT));
  // ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)
  private static final MethodHandle SENDTO =
      bind("sendto", FunctionDescriptor.of(LONG, INT, ADDR, LONG, INT, ADDR, INT));
  private static final MethodHandle STRERROR =
      LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDR, INT));

  // Linux x86-64 and aarch64 values (sys/socket.h, netinet/in.h, errno.h)
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_REUSEPORT = 15;
  static final int SO_RCVTIMEO = 20;
  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;
  static final int MSG_WAITFORONE = 0x10000;
  static final int SHUT_RDWR = 2;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EBADF = 9;
  static final int EINVAL = 22;

  private DatagramSyscalls() {}

  private static MethodHandle bind(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc lacks " + name)), fd, CAPTURE_ERRNO);
  }

  /** A capture segment for one thread's calls. */
  static MemorySegment newState(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  static int socket(MemorySegment st, int domain, int type, int protocol) {
    try {
      return (int) SOCKET.invokeExact(st, domain, type, protocol);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int bind(MemorySegment st, int fd, MemorySegment addr, int len) {
    try {
      return (int) BIND.invokeExact(st, fd, addr, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int getsockname(MemorySegment st, int fd, MemorySegment addr, MemorySegment lenPtr) {
    try {
      return (int) GETSOCKNAME.invokeExact(st, fd, addr, lenPtr);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int setsockopt(MemorySegment st, int fd, int level, int name, MemorySegment value, int len) {
    try {
      return (int) SETSOCKOPT.invokeExact(st, fd, level, name, value, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int close(MemorySegment st, int fd) {
    try {
      return (int) CLOSE.invokeExact(st, fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int shutdown(MemorySegment st, int fd, int how) {
    try {
      return (int) SHUTDOWN.invokeExact(st, fd, how);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int recvmmsg(MemorySegment st, int fd, MemorySegment vec, int vlen, int flags) {
    try {
      return (int) RECVMMSG.invokeExact(st, fd, vec, vlen, flags, MemorySegment.NULL);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int sendmmsg(MemorySegment st, int fd, MemorySegment vec, int vlen, int flags) {
    try {
      return (int) SENDMMSG.invokeExact(st, fd, vec, vlen, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long sendto(MemorySegment st, int fd, MemorySegment buf, long len, MemorySegment to, int toLen) {
    try {
      return (long) SENDTO.invokeExact(st, fd, buf, len, 0, to, toLen);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new IllegalStateException(t);
  }
}
