package net.tinyisp.net.ffm;

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
 * The handful of Linux libc calls the packet I/O needs, bound once through FFM. Every call captures {@code errno}
 * into a per-thread segment right after the call (the JVM may clobber the real errno before Java code runs again),
 * so a failure reads {@link #errno()} on the same thread.
 *
 * <p>Variadic functions ({@code open}, {@code ioctl}) need {@link Linker.Option#firstVariadicArg}: on x86-64 the
 * caller sets {@code %al} to the number of vector registers used, which a non-variadic binding would leave garbage.
 */
public final class Libc {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final ValueLayout ADDR = ValueLayout.ADDRESS;

  // open(const char *path, int flags, ...)
  private static final MethodHandle OPEN =
      bind("open", FunctionDescriptor.of(INT, ADDR, INT), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle READ = bind("read", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
  private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(LONG, INT, ADDR, LONG));
  // ioctl(int fd, unsigned long request, ...): the third argument is a pointer or an int depending on request
  private static final MethodHandle IOCTL_PTR =
      bind("ioctl", FunctionDescriptor.of(INT, INT, LONG, ADDR), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle IOCTL_LONG =
      bind("ioctl", FunctionDescriptor.of(INT, INT, LONG, LONG), Linker.Option.firstVariadicArg(2));
  private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(INT, ADDR, LONG, INT));
  private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle CONNECT = bind("connect", FunctionDescriptor.of(INT, INT, ADDR, INT));
  private static final MethodHandle SETSOCKOPT =
      bind("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ADDR, INT));
  private static final MethodHandle GETSOCKOPT =
      bind("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ADDR, ADDR));
  private static final MethodHandle MMAP =
      bind("mmap", FunctionDescriptor.of(ADDR, ADDR, LONG, INT, INT, INT, LONG));
  private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(INT, ADDR, LONG));
  private static final MethodHandle SENDMMSG =
      bind("sendmmsg", FunctionDescriptor.of(INT, INT, ADDR, INT, INT));
  private static final MethodHandle SEND = bind("send", FunctionDescriptor.of(LONG, INT, ADDR, LONG, INT));
  private static final MethodHandle UNSHARE = bind("unshare", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle SETNS = bind("setns", FunctionDescriptor.of(INT, INT, INT));
  // long syscall(long number, ...): bpf(2) has no libc wrapper
  private static final MethodHandle SYSCALL_BPF = bind("syscall", FunctionDescriptor.of(LONG, LONG, INT, ADDR, INT),
      Linker.Option.firstVariadicArg(1));
  private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle IF_NAMETOINDEX =
      bind("if_nametoindex", FunctionDescriptor.of(INT, ADDR));
  private static final MethodHandle STRERROR = LINKER.downcallHandle(
      LIBC.find("strerror").orElseThrow(), FunctionDescriptor.of(ADDR, INT));

  /** Per-thread capture buffer: allocated once per thread, so calls on the hot path allocate nothing. */
  private static final ThreadLocal<MemorySegment> STATE =
      ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE));

  // fcntl.h / errno.h / poll.h / sys/socket.h / sys/mman.h / sched.h values for Linux x86-64 and aarch64
  public static final int O_RDONLY = 0;
  public static final int O_RDWR = 2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;
  public static final int ENOBUFS = 105;
  public static final short POLLIN = 0x1;
  public static final short POLLOUT = 0x4;
  public static final short POLLERR = 0x8;
  public static final short POLLHUP = 0x10;
  public static final short POLLNVAL = 0x20;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;
  public static final int AF_PACKET = 17;
  public static final int SOCK_DGRAM = 2;
  public static final int SOCK_RAW = 3;
  public static final int SOCK_NONBLOCK = 0x800;
  public static final int SOCK_CLOEXEC = 0x80000;
  public static final int SOL_SOCKET = 1;
  public static final int SO_ATTACH_FILTER = 26;
  public static final int SO_RCVBUF = 8;
  public static final int SO_SNDBUF = 7;
  public static final int MSG_DONTWAIT = 0x40;
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int MAP_SHARED = 1;
  public static final int CLONE_NEWNET = 0x40000000;
  public static final int MAP_PRIVATE = 2;
  public static final int MAP_ANONYMOUS = 0x20;
  public static final int MAP_POPULATE = 0x8000;
  public static final int EFD_NONBLOCK = 0x800;
  public static final int EFD_CLOEXEC = 0x80000;
  private static final long SYS_BPF = 321; // x86-64; aarch64 uses 280
  private static final long SYS_BPF_AARCH64 = 280;

  private Libc() {}

  private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... extra) {
    Linker.Option[] options = new Linker.Option[extra.length + 1];
    options[0] = CAPTURE_ERRNO;
    System.arraycopy(extra, 0, options, 1, extra.length);
    return LINKER.downcallHandle(
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc lacks " + name)), fd, options);
  }

  /** errno of the last failing call made through this class on the current thread. */
  public static int errno() {
    return (int) ERRNO.get(STATE.get(), 0L);
  }

  public static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  /** An exception naming the call and the errno text, for setup-time failures an operator reads. */
  public static NativeException failure(String what) {
    int e = errno();
    return new NativeException(what, e, strerror(e));
  }

  public static int open(String path, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      return (int) OPEN.invokeExact(STATE.get(), arena.allocateFrom(path), flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int close(int fd) {
    try {
      return (int) CLOSE.invokeExact(STATE.get(), fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static long read(int fd, MemorySegment buf, long count) {
    try {
      return (long) READ.invokeExact(STATE.get(), fd, buf, count);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static long write(int fd, MemorySegment buf, long count) {
    try {
      return (long) WRITE.invokeExact(STATE.get(), fd, buf, count);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int ioctl(int fd, long request, MemorySegment arg) {
    try {
      return (int) IOCTL_PTR.invokeExact(STATE.get(), fd, request, arg);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int ioctl(int fd, long request, long arg) {
    try {
      return (int) IOCTL_LONG.invokeExact(STATE.get(), fd, request, arg);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
    try {
      return (int) POLL.invokeExact(STATE.get(), fds, nfds, timeoutMillis);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int socket(int domain, int type, int protocol) {
    try {
      return (int) SOCKET.invokeExact(STATE.get(), domain, type, protocol);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int bind(int fd, MemorySegment addr, int len) {
    try {
      return (int) BIND.invokeExact(STATE.get(), fd, addr, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int connect(int fd, MemorySegment addr, int len) {
    try {
      return (int) CONNECT.invokeExact(STATE.get(), fd, addr, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
    try {
      return (int) SETSOCKOPT.invokeExact(STATE.get(), fd, level, name, value, len);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** {@code lenInOut} is a 4-byte socklen_t holding the buffer size on entry and the value size on return. */
  public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment lenInOut) {
    try {
      return (int) GETSOCKOPT.invokeExact(STATE.get(), fd, level, name, value, lenInOut);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * mmap; the returned segment is already reinterpreted to {@code length} bytes (FFM hands back a zero-length
   * segment for a returned pointer). Returns {@code null} on failure with errno set.
   */
  public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
    try {
      MemorySegment p = (MemorySegment) MMAP.invokeExact(STATE.get(), MemorySegment.NULL, length, prot, flags, fd, offset);
      if (p.address() == -1L) {
        return null;
      }
      return p.reinterpret(length);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int munmap(MemorySegment region) {
    try {
      return (int) MUNMAP.invokeExact(STATE.get(), region, region.byteSize());
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int sendmmsg(int fd, MemorySegment msgvec, int vlen, int flags) {
    try {
      return (int) SENDMMSG.invokeExact(STATE.get(), fd, msgvec, vlen, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static long send(int fd, MemorySegment buf, long len, int flags) {
    try {
      return (long) SEND.invokeExact(STATE.get(), fd, buf, len, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int unshare(int flags) {
    try {
      return (int) UNSHARE.invokeExact(STATE.get(), flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int setns(int fd, int nstype) {
    try {
      return (int) SETNS.invokeExact(STATE.get(), fd, nstype);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** bpf(2): {@code cmd} with its {@code union bpf_attr} (zero-filled beyond what the command reads). */
  public static int bpf(int cmd, MemorySegment attr) {
    long nr = "aarch64".equals(System.getProperty("os.arch")) ? SYS_BPF_AARCH64 : SYS_BPF;
    try {
      return (int) (long) SYSCALL_BPF.invokeExact(STATE.get(), nr, cmd, attr, (int) attr.byteSize());
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  public static int eventfd(int initval, int flags) {
    try {
      return (int) EVENTFD.invokeExact(STATE.get(), initval, flags);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** 0 when no interface has that name (in the calling thread's network namespace). */
  public static int ifNameToIndex(String name) {
    try (Arena arena = Arena.ofConfined()) {
      return (int) IF_NAMETOINDEX.invokeExact(STATE.get(), arena.allocateFrom(name));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
