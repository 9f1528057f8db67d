package net.tinyisp.net.tun;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.net.NetDropCounters;
import net.tinyisp.net.NetDropReason;

/**
 * One platform thread per TUN queue: poll with a short timeout (so {@link #close} stops it within that time), read
 * until the queue is empty, hand each packet to the handler. The handler decides and may write on the same queue
 * (it runs on that queue's thread). Packets that fill the whole buffer are counted as {@code TUN_TRUNCATED} and
 * not handled.
 *
 * <p>Metrics: {@code tinyisp_net_tun_rx_packets_total} and {@code tinyisp_net_tun_rx_bytes_total} (tag
 * {@code device}), plus the {@link NetDropReason} counters.
 */
public final class TunPacketLoop implements Service {
  /** Called on the queue's thread for every packet; {@code buffer} is reused after the call returns. */
  @FunctionalInterface
  public interface PacketHandler {
    void packet(TunQueue queue, MemorySegment buffer, int length) throws Exception;
  }

  static final int POLL_MILLIS = 100;

  private final TunDevice device;
  private final PacketHandler handler;
  private final int bufferSize;
  private final Counter rxPackets;
  private final Counter rxBytes;
  private final NetDropCounters drops;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running;

  /**
   * @param bufferSize read buffer per queue: MTU plus the virtio header, or 65 550 when TSO/USO is on
   */
  public TunPacketLoop(TunDevice device, PacketHandler handler, int bufferSize, MeterRegistry registry,
      NetDropCounters drops) {
    this.device = device;
    this.handler = handler;
    this.bufferSize = bufferSize;
    this.drops = drops;
    this.rxPackets = Counter.builder("tinyisp_net_tun_rx_packets").tag("device", device.name())
        .description("packets read from the TUN device").register(registry);
    this.rxBytes = Counter.builder("tinyisp_net_tun_rx_bytes").tag("device", device.name())
        .description("bytes read from the TUN device (virtio header included)").register(registry);
  }

  @Override
  public String name() {
    return "tun-" + device.name();
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    for (TunQueue q : device.queues()) {
      threads.add(Thread.ofPlatform().name(name() + "-q" + q.index()).start(() -> serve(q)));
    }
  }

  private void serve(TunQueue q) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(bufferSize, 64);
      while (running) {
        if (!q.pollIn(POLL_MILLIS)) {
          continue;
        }
        int n;
        while (running && (n = q.read(buf)) != TunQueue.WOULD_BLOCK) {
          rxPackets.increment();
          rxBytes.increment(n);
          if (n >= bufferSize) {
            drops.count(NetDropReason.TUN_TRUNCATED);
            continue;
          }
          handler.packet(q, buf, n);
        }
      }
    } catch (Throwable t) {
      if (running) {
        failure.compareAndSet(null, t);
      }
    }
  }

  @Override
  public Health health() {
    Throwable t = failure.get();
    if (t != null) {
      return Health.down("queue thread failed: " + t);
    }
    return running ? Health.ok() : Health.down("stopped");
  }

  /** Stops the threads (within the poll timeout) and closes the device. */
  @Override
  public synchronized void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(5L * POLL_MILLIS + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    threads.clear();
    device.close();
  }
}
