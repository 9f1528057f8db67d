package net.tinyisp.net.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import net.tinyisp.net.netns.NetNamespace;

/** Skips namespace tests with a clear reason when not root (CI runs them as root). */
public final class RootAssumptions {
  private RootAssumptions() {}

  public static void assumeNamespaces() {
    assumeTrue(NetNamespace.canCreate(),
        "needs root and /dev/net/tun to create network namespaces and TUN devices; CI runs this as root");
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
        || Files.isExecutable(Path.of("/usr/bin/ip")), "needs iproute2's ip");
  }

  /** A namespace name unique to this JVM, so parallel runs on one machine do not collide. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid();
  }
}
