package net.tinyisp.net.packet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.net.NetDropCounters;
import net.tinyisp.net.NetDropReason;

/**
 * One platform thread serving an {@link AfPacketSocket}: waits on the ring with a short poll timeout (so
 * {@link #close} stops it promptly), hands every frame to the handler, and once a second moves the kernel's
 * ring-full drop count into {@code tinyisp_net_drop_ring_kernel_total}.
 *
 * <p>Metrics: {@code tinyisp_net_packet_rx_frames_total} (tag {@code interface}) and the drop counter.
 */
public final class AfPacketLoop implements Service {
  static final int POLL_MILLIS = 100;
  static final long STATS_NANOS = 1_000_000_000L;

  private final AfPacketSocket socket;
  private final FrameHandler handler;
  private final NetDropCounters drops;
  private final Counter rxFrames;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running;
  private Thread thread;

  public AfPacketLoop(AfPacketSocket socket, FrameHandler handler, MeterRegistry registry, NetDropCounters drops) {
    this.socket = socket;
    this.handler = handler;
    this.drops = drops;
    this.rxFrames = Counter.builder("tinyisp_net_packet_rx_frames")
        .tag("interface", socket.config().interfaceName())
        .description("frames received from the AF_PACKET ring after the EtherType filter").register(registry);
  }

  @Override
  public String name() {
    return "packet-" + socket.config().interfaceName();
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = Thread.ofPlatform().name(name()).start(this::serve);
  }

  private void serve() {
    long nextStats = System.nanoTime() + STATS_NANOS;
    try {
      while (running) {
        int n = socket.receive(handler, POLL_MILLIS);
        if (n > 0) {
          rxFrames.increment(n);
        }
        long now = System.nanoTime();
        if (now - nextStats >= 0) {
          long lost = socket.pollKernelDrops();
          if (lost > 0) {
            drops.count(NetDropReason.RING_KERNEL_DROP, lost);
          }
          nextStats = now + STATS_NANOS;
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
      return Health.down("receive thread failed: " + t);
    }
    return running ? Health.ok() : Health.down("stopped");
  }

  /** Stops the thread (within the poll timeout) and closes the socket. */
  @Override
  public synchronized void close() {
    running = false;
    if (thread != null) {
      try {
        thread.join(5L * POLL_MILLIS + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
    socket.close();
  }
}
