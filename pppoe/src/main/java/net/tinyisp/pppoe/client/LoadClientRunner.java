package net.tinyisp.pppoe.client;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.net.link.LinkSetup;
import net.tinyisp.net.packet.AfPacketSocket;

/**
 * Drives a {@link LoadClient} on a real interface: dials at a set rate, answers the access concentrator, keeps the
 * sessions up for a while, then hangs up. One platform thread; the interface is put in promiscuous mode because the
 * simulated routers use MAC addresses the interface does not own.
 */
public final class LoadClientRunner {
  /** What a run measured. */
  public record Report(int sessions, int up, int failed, double setupPerSecond, long p50Millis, long p99Millis,
      long maxMillis, double seconds, long ringDrops, long sendFailures) {
    @Override
    public String toString() {
      return String.format("sessions=%d up=%d failed=%d setup_rate=%.0f/s setup_ms p50=%d p99=%d max=%d time=%.2fs"
          + " client_ring_drops=%d client_send_failures=%d",
          sessions, up, failed, setupPerSecond, p50Millis, p99Millis, maxMillis, seconds, ringDrops, sendFailures);
    }
  }

  private final String iface;
  private final LoadClient client;
  private final double ratePerSecond;
  private long sendFailures;
  private SessionTunnels tunnels;
  private volatile boolean stopRequested;

  public LoadClientRunner(String iface, LoadClient client, double ratePerSecond) {
    this.iface = iface;
    this.client = client;
    this.ratePerSecond = ratePerSecond;
  }

  /** Gives every session a TUN device once IPv6CP is up (the data path); null for control only. */
  public LoadClientRunner tunnels(SessionTunnels tunnels) {
    this.tunnels = tunnels;
    return this;
  }

  /** Ends the hold early (a signal): the sessions are hung up as at the end of a normal run. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Dials everyone, waits until all are up or failed (at most {@code timeoutSeconds}), keeps them up
   * {@code holdSeconds} (answering LCP echoes), hangs up, and reports setup figures.
   */
  public Report run(double timeoutSeconds, double holdSeconds, Runnable whileUp) throws Exception {
    LinkSetup.here().ip("link", "set", iface, "promisc", "on", "up");
    try (AfPacketSocket socket = AfPacketSocket.open(net.tinyisp.pppoe.io.PppoeRing.on(iface)); Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(2048);
      if (tunnels != null) {
        tunnels.start();
        client.listener(tunnels);
      }
      List<byte[]> pending = new ArrayList<>();
      long start = System.nanoTime();
      long deadline = start + (long) (timeoutSeconds * 1e9);
      int dialed = 0;
      long allUpAt = -1;
      while (System.nanoTime() < deadline && !stopRequested) {
        long now = System.nanoTime();
        int due = (int) Math.min(client.size(), (long) ((now - start) / 1e9 * ratePerSecond) + 1);
        while (dialed < due) pending.addAll(client.dial(dialed++, now));
        flush(socket, out, pending);
        socket.receive((ring, offset, length) -> {
          if (tunnels != null && tunnels.downstream(ring, offset, length)) return;
          byte[] frame = ring.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
          pending.addAll(client.receive(frame, length, System.nanoTime()));
        }, 1);
        pending.addAll(client.tick(System.nanoTime()));
        flush(socket, out, pending);
        if (dialed == client.size() && client.upCount() + client.failedCount() == client.size()) {
          allUpAt = System.nanoTime();
          break;
        }
      }
      long end = allUpAt > 0 ? allUpAt : System.nanoTime();
      if (whileUp != null) whileUp.run();
      long holdUntil = System.nanoTime() + (long) (holdSeconds * 1e9);
      while (System.nanoTime() < holdUntil && !stopRequested) {
        socket.receive((ring, offset, length) -> {
          if (tunnels != null && tunnels.downstream(ring, offset, length)) return;
          byte[] frame = ring.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
          pending.addAll(client.receive(frame, length, System.nanoTime()));
        }, 5);
        pending.addAll(client.tick(System.nanoTime()));
        flush(socket, out, pending);
      }
      if (tunnels != null) tunnels.ringDrops(socket.pollKernelDrops());
      pending.addAll(client.hangUp(System.nanoTime()));
      flush(socket, out, pending);
      long[] t = client.setupTimes();
      double seconds = (end - start) / 1e9;
      return new Report(client.size(), client.upCount(), client.failedCount(), client.upCount() / Math.max(seconds, 1e-9),
          pct(t, 0.50), pct(t, 0.99), t.length == 0 ? 0 : t[t.length - 1] / 1_000_000, seconds,
          socket.pollKernelDrops(), sendFailures);
    } finally {
      if (tunnels != null) tunnels.close();
      LinkSetup.here().ip("link", "set", iface, "promisc", "off");
    }
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1_000_000;
  }

  private void flush(AfPacketSocket socket, MemorySegment out, List<byte[]> frames) throws Exception {
    for (byte[] f : frames) {
      MemorySegment.copy(f, 0, out, ValueLayout.JAVA_BYTE, 0, f.length);
      if (!socket.send(out, f.length)) sendFailures++;
    }
    frames.clear();
  }
}
