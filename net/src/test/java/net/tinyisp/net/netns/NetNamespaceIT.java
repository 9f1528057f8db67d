package net.tinyisp.net.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.testing.RootAssumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetNamespaceIT {

  @Test
  void threadsRunInsideTheNamespaceAndCloseDeletesIt() throws Exception {
    RootAssumptions.assumeNamespaces();
    String name = RootAssumptions.uniqueName("tinyisp-net-ns");
    Path bound = Path.of("/run/netns", name);
    try (NetNamespace ns = NetNamespace.create(name)) {
      ns.ip().ip("link", "add", "only-here", "type", "veth", "peer", "name", "only-here-p");
      assertThat(ns.call(() -> Libc.ifNameToIndex("only-here"))).isPositive();
      // the calling thread stayed where it was
      assertThat(Libc.ifNameToIndex("only-here")).isZero();
      assertThatThrownBy(() -> ns.call(() -> {
        throw new IllegalStateException("task failed");
      })).hasMessage("task failed");
      assertThat(Files.exists(bound)).isTrue();
    }
    assertThat(Files.exists(bound)).isFalse();
  }

  @Test
  void unshareGivesAThreadAnEmptyNamespace() throws Exception {
    RootAssumptions.assumeNamespaces();
    CompletableFuture<int[]> result = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        NetNamespace.unshareCurrentThread();
        // a new namespace has only lo (index 1) and none of the host's interfaces
        result.complete(new int[] {Libc.ifNameToIndex("lo"), Libc.ifNameToIndex("eth0")});
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }).join();
    assertThat(result.get(5, TimeUnit.SECONDS)).containsExactly(1, 0);
  }
}
