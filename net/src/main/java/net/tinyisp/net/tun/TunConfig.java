package net.tinyisp.net.tun;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How to open a TUN device.
 *
 * @param name interface name, at most 15 bytes (IFNAMSIZ - 1); default {@code tinyisp0}
 * @param queues number of queues (fds); more than one opens the device with {@code IFF_MULTI_QUEUE}; default 1
 * @param vnetHeader prefix every packet with a {@link VirtioNetHeader} ({@code IFF_VNET_HDR}); default false
 * @param offloads offloads to accept ({@code csum}, {@code tso4}, {@code tso6}, {@code tso_ecn}, {@code uso4},
 *     {@code uso6}); need {@code vnetHeader}; TSO/USO need {@code csum} (the kernel refuses them otherwise)
 */
public record TunConfig(String name, Integer queues, Boolean vnetHeader, List<String> offloads) {
  public static final int IFNAMSIZ = 16;
  public static final int MAX_QUEUES = 256;

  public TunConfig {
    if (name == null) {
      name = "tinyisp0";
    }
    if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.US_ASCII).length >= IFNAMSIZ
        || name.contains("/") || name.contains(" ") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("TUN name '" + name + "' must be 1-15 characters without '/' or spaces");
    }
    if (queues == null) {
      queues = 1;
    }
    if (queues < 1 || queues > MAX_QUEUES) {
      throw new IllegalArgumentException("queues must be 1.." + MAX_QUEUES + ", got " + queues);
    }
    if (vnetHeader == null) {
      vnetHeader = false;
    }
    offloads = offloads == null ? List.of() : List.copyOf(offloads);
    Set<TunOffload> parsed = parseOffloads(offloads);
    if (!parsed.isEmpty() && !vnetHeader) {
      throw new IllegalArgumentException("offloads " + offloads + " need vnet-header: true (the reader must see the"
          + " virtio-net header to know a packet needs a checksum or segmentation)");
    }
    if (!parsed.contains(TunOffload.CSUM) && parsed.stream().anyMatch(o -> o != TunOffload.CSUM)) {
      throw new IllegalArgumentException("offloads " + offloads + " need csum as well: segmentation offloads"
          + " imply checksum offload");
    }
  }

  /** A single-queue device without offloads. */
  public static TunConfig simple(String name) {
    return new TunConfig(name, 1, false, List.of());
  }

  /** The offloads as a set of enum values. */
  public Set<TunOffload> offloadSet() {
    return parseOffloads(offloads);
  }

  private static Set<TunOffload> parseOffloads(List<String> names) {
    Set<TunOffload> set = EnumSet.noneOf(TunOffload.class);
    for (String n : names) {
      set.add(TunOffload.parse(n));
    }
    return set;
  }
}
