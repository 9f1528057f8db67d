package net.tinyisp.net.xdp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.List;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;

/**
 * An XSKMAP, the {@link UdpSteeringProgram} that redirects into it, and the BPF link that attaches the program to
 * an interface. Closing it detaches the program (the link is the only reference), so a crashed or stopped tinyisp
 * leaves the interface as it found it: the kernel drops the link with the last fd.
 *
 * <p>bpf(2) commands and {@code union bpf_attr} offsets are from {@code include/uapi/linux/bpf.h}.
 */
public final class XdpSteering implements AutoCloseable {
  private static final int BPF_MAP_CREATE = 0;
  private static final int BPF_MAP_UPDATE_ELEM = 2;
  private static final int BPF_MAP_DELETE_ELEM = 3;
  private static final int BPF_PROG_LOAD = 5;
  private static final int BPF_LINK_CREATE = 28;
  private static final int BPF_MAP_TYPE_XSKMAP = 17;
  private static final int BPF_PROG_TYPE_XDP = 6;
  private static final int BPF_XDP = 37;
  /** XDP_FLAGS_SKB_MODE / XDP_FLAGS_DRV_MODE. */
  public static final int SKB_MODE = 2;
  public static final int DRIVER_MODE = 4;
  private static final int ATTR = 128;
  private static final int LOG_SIZE = 64 * 1024;

  private final int mapFd;
  private final int progFd;
  private final int linkFd;
  private final String interfaceName;

  private XdpSteering(int mapFd, int progFd, int linkFd, String interfaceName) {
    this.mapFd = mapFd;
    this.progFd = progFd;
    this.linkFd = linkFd;
    this.interfaceName = interfaceName;
  }

  /**
   * Loads and attaches the program on {@code ifindex} in {@code mode} (driver or generic/skb); {@code maxQueues}
   * XSKMAP slots. Fails, with the kernel's verifier log when it is the verifier, if the interface already has an
   * XDP program or the process lacks CAP_BPF/CAP_NET_ADMIN.
   */
  public static XdpSteering attach(String interfaceName, int ifindex, List<InetSocketAddress> destinations,
      int maxQueues, int mode) throws NativeException {
    int map = -1;
    int prog = -1;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment attr = arena.allocate(ATTR);
      attr.set(ValueLayout.JAVA_INT, 0, BPF_MAP_TYPE_XSKMAP);
      attr.set(ValueLayout.JAVA_INT, 4, 4);
      attr.set(ValueLayout.JAVA_INT, 8, 4);
      attr.set(ValueLayout.JAVA_INT, 12, maxQueues);
      setName(attr, 28, "tinyisp_xsks"); // map_name, after map_flags, inner_map_fd, numa_node
      map = Libc.bpf(BPF_MAP_CREATE, attr);
      if (map < 0) throw Libc.failure("bpf(BPF_MAP_CREATE, XSKMAP)");

      byte[] insns = UdpSteeringProgram.instructions(destinations, map);
      MemorySegment code = arena.allocate(insns.length, 8);
      MemorySegment.copy(insns, 0, code, ValueLayout.JAVA_BYTE, 0, insns.length);
      MemorySegment license = arena.allocateFrom("Dual MIT/GPL");
      MemorySegment log = arena.allocate(LOG_SIZE);
      attr.fill((byte) 0);
      attr.set(ValueLayout.JAVA_INT, 0, BPF_PROG_TYPE_XDP);
      attr.set(ValueLayout.JAVA_INT, 4, insns.length / 8);
      attr.set(ValueLayout.JAVA_LONG, 8, code.address());
      attr.set(ValueLayout.JAVA_LONG, 16, license.address());
      attr.set(ValueLayout.JAVA_INT, 24, 1); // log_level: the verifier explains a refusal
      attr.set(ValueLayout.JAVA_INT, 28, LOG_SIZE);
      attr.set(ValueLayout.JAVA_LONG, 32, log.address());
      setName(attr, 48, "tinyisp_dns");
      attr.set(ValueLayout.JAVA_INT, 68, BPF_XDP); // expected_attach_type
      prog = Libc.bpf(BPF_PROG_LOAD, attr);
      if (prog < 0) {
        int errno = Libc.errno();
        String verifier = log.getString(0).strip();
        throw new NativeException("bpf(BPF_PROG_LOAD, XDP)"
            + (verifier.isEmpty() ? "" : ", verifier: " + verifier), errno, Libc.strerror(errno));
      }

      attr.fill((byte) 0);
      attr.set(ValueLayout.JAVA_INT, 0, prog);
      attr.set(ValueLayout.JAVA_INT, 4, ifindex);
      attr.set(ValueLayout.JAVA_INT, 8, BPF_XDP);
      attr.set(ValueLayout.JAVA_INT, 12, mode);
      int link = Libc.bpf(BPF_LINK_CREATE, attr);
      if (link < 0) {
        int errno = Libc.errno();
        throw new NativeException("attaching the XDP program to " + interfaceName + " (bpf BPF_LINK_CREATE, "
            + (mode == SKB_MODE ? "generic" : "driver") + " mode" + hint(errno) + ")", errno, Libc.strerror(errno));
      }
      return new XdpSteering(map, prog, link, interfaceName);
    } catch (NativeException | RuntimeException e) {
      if (prog >= 0) Libc.close(prog);
      if (map >= 0) Libc.close(map);
      throw e;
    }
  }

  /** Frames arriving on {@code queue} now go to {@code xskFd}. */
  public void register(int queue, int xskFd) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocateFrom(ValueLayout.JAVA_INT, queue);
      MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_INT, xskFd);
      MemorySegment attr = arena.allocate(ATTR);
      attr.set(ValueLayout.JAVA_INT, 0, mapFd);
      attr.set(ValueLayout.JAVA_LONG, 8, key.address());
      attr.set(ValueLayout.JAVA_LONG, 16, value.address());
      if (Libc.bpf(BPF_MAP_UPDATE_ELEM, attr) < 0) {
        throw Libc.failure("bpf(BPF_MAP_UPDATE_ELEM) for queue " + queue + " of " + interfaceName);
      }
    }
  }

  /** Frames arriving on {@code queue} pass to the kernel again. */
  public void unregister(int queue) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment key = arena.allocateFrom(ValueLayout.JAVA_INT, queue);
      MemorySegment attr = arena.allocate(ATTR);
      attr.set(ValueLayout.JAVA_INT, 0, mapFd);
      attr.set(ValueLayout.JAVA_LONG, 8, key.address());
      Libc.bpf(BPF_MAP_DELETE_ELEM, attr);
    }
  }

  @Override
  public void close() {
    Libc.close(linkFd);
    Libc.close(progFd);
    Libc.close(mapFd);
  }

  /** What an operator can do about the usual refusals. */
  private static String hint(int errno) {
    return switch (errno) {
      case 1 -> "; needs root, or CAP_NET_ADMIN and CAP_BPF";
      case 16, 17 -> "; the interface already has an XDP program (another tool's, or another tinyisp)";
      case 95 -> "; the driver has no native XDP: use the generic mode";
      default -> "";
    };
  }

  private static void setName(MemorySegment attr, long at, String name) {
    byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    MemorySegment.copy(b, 0, attr, ValueLayout.JAVA_BYTE, at, Math.min(b.length, 15));
  }
}
