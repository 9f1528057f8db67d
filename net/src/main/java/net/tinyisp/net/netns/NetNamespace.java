package net.tinyisp.net.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;
import net.tinyisp.net.link.LinkSetup;

/**
 * A named network namespace ({@code ip netns add}, bound at {@code /run/netns/NAME}) and a way to run code inside
 * it from this JVM: a fresh platform thread calls {@code setns(2)} with {@code CLONE_NEWNET} and then runs the task.
 * Only that thread moves (namespaces are per thread on Linux); TUN devices and sockets it creates stay in the
 * namespace and their fds remain usable from every thread. The thread ends with the task, so no JVM thread is left
 * behind in a foreign namespace.
 *
 * <p>Used by tests to build topologies (veth pairs, TUN devices) and by components' {@code --setup}. Needs root
 * (CAP_SYS_ADMIN). {@link #close} deletes the namespace, which destroys its interfaces.
 */
public final class NetNamespace implements AutoCloseable {
  private static final Path RUN_NETNS = Path.of("/run/netns");
  private final String name;
  private volatile boolean closed;

  private NetNamespace(String name) {
    this.name = name;
  }

  /** Creates the namespace (deleting a stale one of the same name left by a crashed run) and brings up lo. */
  public static NetNamespace create(String name) throws IOException {
    if (Files.exists(RUN_NETNS.resolve(name))) {
      LinkSetup.here().ip("netns", "delete", name);
    }
    LinkSetup.here().ip("netns", "add", name);
    NetNamespace ns = new NetNamespace(name);
    try {
      ns.ip().ip("link", "set", "lo", "up");
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /** Whether this process may create namespaces and TUN devices (root with /run/netns usable). */
  public static boolean canCreate() {
    return "root".equals(System.getProperty("user.name")) && Files.exists(Path.of("/dev/net/tun"));
  }

  public String name() {
    return name;
  }

  /** {@code ip -n NAME ...}. */
  public LinkSetup ip() {
    return LinkSetup.in(name);
  }

  /** Runs {@code task} on a new platform thread inside this namespace and returns its result (bounded wait). */
  public <T> T call(Callable<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = Thread.ofPlatform().name("netns-" + name).daemon().start(() -> {
      try {
        enter();
        result.complete(task.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (TimeoutException e) {
      t.interrupt();
      throw e;
    }
  }

  /** Starts a long-running platform thread inside this namespace (a packet loop, a test peer). */
  public Thread start(String threadName, Runnable task) {
    return Thread.ofPlatform().name(threadName).daemon().start(() -> {
      try {
        enter();
      } catch (NativeException e) {
        throw new IllegalStateException(e);
      }
      task.run();
    });
  }

  /** Moves the calling thread into this namespace. Use on a thread you own and discard. */
  public void enter() throws NativeException {
    String path = RUN_NETNS.resolve(name).toString();
    int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
    if (fd < 0) {
      throw Libc.failure("open(" + path + ")");
    }
    try {
      if (Libc.setns(fd, Libc.CLONE_NEWNET) < 0) {
        throw Libc.failure("setns(" + path + ", CLONE_NEWNET)");
      }
    } finally {
      Libc.close(fd);
    }
  }

  /**
   * Moves the calling thread into a new anonymous namespace ({@code unshare(CLONE_NEWNET)}); it disappears when
   * the thread and every fd made in it are gone. Use on a thread you own and discard.
   */
  public static void unshareCurrentThread() throws NativeException {
    if (Libc.unshare(Libc.CLONE_NEWNET) < 0) {
      throw Libc.failure("unshare(CLONE_NEWNET)");
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      LinkSetup.here().ip("netns", "delete", name);
    }
  }
}
