package net.tinyisp.net.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;

/**
 * A Linux TUN device opened through {@code /dev/net/tun} (Documentation/networking/tuntap.rst): layer-3 packets
 * without the 4-byte packet-information prefix ({@code IFF_TUN | IFF_NO_PI}), optionally several queues
 * ({@code IFF_MULTI_QUEUE}: one fd per queue, the kernel spreads flows over them by hash) and the virtio-net header
 * with checksum/segmentation offloads ({@code IFF_VNET_HDR}, {@code TUNSETVNETHDRSZ}, {@code TUNSETOFFLOAD}).
 *
 * <p>The device appears in the network namespace of the thread that opens it (see
 * {@link net.tinyisp.net.netns.NetNamespace}); its fds work from any thread afterwards. Addresses, MTU and the
 * up state are set with {@link net.tinyisp.net.link.LinkSetup} (which runs {@code ip}). Without {@code IFF_PERSIST} the device is
 * removed when its last queue is closed.
 */
public final class TunDevice implements AutoCloseable {
  // linux/if_tun.h: _IOW('T', nr, int) = 0x40000000 | (4 << 16) | ('T' << 8) | nr
  static final long TUNSETIFF = 0x400454caL;
  static final long TUNGETIFF = 0x800454d2L;
  static final long TUNSETOFFLOAD = 0x400454d0L;
  static final long TUNSETVNETHDRSZ = 0x400454d8L;
  static final short IFF_TUN = 0x0001;
  static final short IFF_MULTI_QUEUE = 0x0100;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_VNET_HDR = 0x4000;
  /** struct ifreq: char ifr_name[16]; union { short ifr_flags; ... } (24 bytes) = 40 bytes. */
  static final int IFREQ_SIZE = 40;
  static final int IFREQ_FLAGS = 16;

  private final String name;
  private final TunConfig config;
  private final List<TunQueue> queues;

  private TunDevice(String name, TunConfig config, List<TunQueue> queues) {
    this.name = name;
    this.config = config;
    this.queues = List.copyOf(queues);
  }

  /**
   * Opens (creating when absent) the device with all its queues. Needs CAP_NET_ADMIN in the current thread's
   * network namespace. Fails with the errno text when the kernel refuses a flag or an offload.
   */
  public static TunDevice open(TunConfig config) throws NativeException {
    boolean multi = config.queues() > 1;
    short flags = (short) (IFF_TUN | IFF_NO_PI | (multi ? IFF_MULTI_QUEUE : 0)
        | (config.vnetHeader() ? IFF_VNET_HDR : 0));
    List<TunQueue> opened = new ArrayList<>();
    String actualName = config.name();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ifr = arena.allocate(IFREQ_SIZE);
      for (int q = 0; q < config.queues(); q++) {
        int fd = Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0) {
          throw Libc.failure("open(/dev/net/tun)");
        }
        // a queue takes ownership of the fd at once so the catch below closes it on any later failure
        opened.add(new TunQueue(q, fd, config.vnetHeader()));
        ifr.fill((byte) 0);
        byte[] n = actualName.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length);
        ifr.set(ValueLayout.JAVA_SHORT, IFREQ_FLAGS, flags);
        if (Libc.ioctl(fd, TUNSETIFF, ifr) < 0) {
          throw Libc.failure("TUNSETIFF " + actualName + " flags=0x" + Integer.toHexString(flags & 0xffff));
        }
        actualName = ifr.getString(0, StandardCharsets.US_ASCII);
        if (config.vnetHeader()) {
          MemorySegment size = arena.allocate(ValueLayout.JAVA_INT);
          size.set(ValueLayout.JAVA_INT, 0, VirtioNetHeader.LENGTH);
          if (Libc.ioctl(fd, TUNSETVNETHDRSZ, size) < 0) {
            throw Libc.failure("TUNSETVNETHDRSZ " + actualName);
          }
        }
      }
      Set<TunOffload> offloads = config.offloadSet();
      if (!offloads.isEmpty()) {
        long bits = 0;
        for (TunOffload o : offloads) {
          bits |= o.bit();
        }
        // TUNSETOFFLOAD takes the flags by value, not by pointer
        if (Libc.ioctl(opened.getFirst().fd(), TUNSETOFFLOAD, bits) < 0) {
          throw Libc.failure("TUNSETOFFLOAD " + actualName + " " + config.offloads()
              + " (USO needs kernel 6.2+)");
        }
      }
      return new TunDevice(actualName, config, opened);
    } catch (NativeException | RuntimeException e) {
      opened.forEach(TunQueue::close);
      throw e;
    }
  }

  /** The interface name the kernel gave (the configured one; a {@code %d} pattern is filled in). */
  public String name() {
    return name;
  }

  public TunConfig config() {
    return config;
  }

  public int queueCount() {
    return queues.size();
  }

  public TunQueue queue(int index) {
    return queues.get(index);
  }

  public List<TunQueue> queues() {
    return queues;
  }

  /** The flags the kernel reports for queue 0 ({@code TUNGETIFF}), to check what was negotiated. */
  public int kernelFlags() throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ifr = arena.allocate(IFREQ_SIZE);
      if (Libc.ioctl(queues.getFirst().fd(), TUNGETIFF, ifr) < 0) {
        throw Libc.failure("TUNGETIFF " + name);
      }
      return ifr.get(ValueLayout.JAVA_SHORT, IFREQ_FLAGS) & 0xffff;
    }
  }

  @Override
  public void close() {
    queues.forEach(TunQueue::close);
  }
}
