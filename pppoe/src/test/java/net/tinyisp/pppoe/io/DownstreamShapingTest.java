package net.tinyisp.pppoe.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import net.tinyisp.common.config.ConfigLoader;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.shaping.DropReason;
import net.tinyisp.shaping.SpeedLimits;
import org.junit.jupiter.api.Test;

/**
 * The core thread's download shaping as the AC drives it, in simulated time: sessions are classes of the hierarchy
 * (or per-session tbf when {@code uplink-down} is absent), rates come in through {@link Subscriber#wantedDown} as
 * RADIUS and CoA set them, greedy senders keep every busy session's queue full and time jumps to the next event.
 */
class DownstreamShapingTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long MBIT = 1_000_000L;
  private static final int PACKET = 1492; // the TUN MTU toward the core

  /** Greedy downloads through one DownstreamShaping; counts what each session is sent inside a window. */
  private static final class Sim {
    final DownstreamShaping shaping;
    final Subscriber[] sessions;
    final boolean[] busy;
    final long[] bytes;
    final byte[] packet = new byte[PACKET];
    long now;
    long windowStart;
    long windowEnd = Long.MAX_VALUE;
    int refused;

    Sim(DownstreamShaping shaping, int n) {
      this.shaping = shaping;
      sessions = new Subscriber[n];
      busy = new boolean[n];
      bytes = new long[n];
      for (int i = 0; i < n; i++) sessions[i] = new Subscriber(i + 1, new MacAddress(0x02_00_00_00_00_00L + i), 0);
      packet[0] = 0x60; // IPv6
      packet[6] = 6;    // TCP
    }

    void setRate(int i, DownRate rate) {
      sessions[i].wantedDown = rate;
      shaping.adopt(sessions[i], now); // what the core loop does when the control loop says the rate changed
    }

    /** Packets of the session in its shaper now (CoDel may have dropped some: the sender sends more, as TCP would). */
    int queued(Subscriber s) {
      if (shaping.hierarchical()) return s.downClass < 0 ? 0 : shaping.hierarchy().queuedPackets(s.downClass);
      return s.downShaper == null ? 0 : s.downShaper.queuedPackets();
    }

    void runUntil(long until) {
      while (now < until) {
        int enqueued = 0;
        for (int i = 0; i < sessions.length; i++) {
          if (busy[i]) {
            // up to 40 packets in flight per session, over 4 TCP flows (the byte after the source port differs)
            for (int k = queued(sessions[i]); k < 40; k++) {
              packet[41] = (byte) (k & 3);
              if (shaping.enqueue(sessions[i], packet, PACKET, now)) enqueued++;
              else refused++; // the sender would see a loss
            }
          }
        }
        long next = shaping.release(now, (s, p, len) -> {
          if (now >= windowStart && now < windowEnd) bytes[s.sessionId - 1] += len;
        });
        if (next == Long.MAX_VALUE) {
          if (enqueued == 0) return; // nobody sends any more
          continue; // a burst took the whole queue at once: the senders refill at the same instant
        }
        now = Math.max(now + 1, next);
      }
    }

    double mbps(int i) {
      return bytes[i] * 8.0 / ((windowEnd - windowStart) / (double) SECOND) / MBIT;
    }

    void window(long from, long to) {
      windowStart = from;
      windowEnd = to;
      java.util.Arrays.fill(bytes, 0);
    }
  }

  /** The README's worked example: uplink-down 60M, both plans 10 Mbit/s with a 50 Mbit/s ceiling from RADIUS. */
  private static DownRate plan10ceil50() {
    var reply = java.util.Map.of("RP-Downstream-Speed-Limit", "10000",
        "Mikrotik-Rate-Limit", "10M/50M 0/0 0/0 0/0 8 5M/10M");
    return DownRate.of(SpeedLimits.fromAttributes(reply).download());
  }

  @Test
  void aloneASessionBorrowsUpToItsCeilingAndTwoBusySessionsShareTheUplink() {
    var sim = new Sim(new DownstreamShaping(60 * MBIT, 16, 0), 2);
    sim.setRate(0, plan10ceil50());
    sim.setRate(1, plan10ceil50());
    sim.busy[0] = true;
    sim.window(SECOND / 2, 2 * SECOND);
    sim.runUntil(2 * SECOND);
    assertThat(sim.mbps(0) / 50).isCloseTo(1.0, within(0.02));
    assertThat(sim.mbps(1)).isZero();

    sim.busy[1] = true;
    sim.window(2 * SECOND + SECOND / 2, 4 * SECOND);
    sim.runUntil(4 * SECOND);
    assertThat(sim.mbps(0) / 30).isCloseTo(1.0, within(0.02));
    assertThat(sim.mbps(1) / 30).isCloseTo(1.0, within(0.02));

    sim.busy[1] = false; // B stops: A climbs back to its ceiling
    sim.window(4 * SECOND + SECOND / 2, 6 * SECOND);
    sim.runUntil(6 * SECOND);
    assertThat(sim.mbps(0) / 50).isCloseTo(1.0, within(0.02));
    assertThat(sim.shaping.drops(DropReason.POOL_EXHAUSTED)).isZero();
  }

  /** A CoA (or set-rate) changes the running session's class at once; its queued packets are neither lost nor sent twice. */
  @Test
  void coaChangesTheClassLiveAndKeepsTheQueue() {
    var sim = new Sim(new DownstreamShaping(100 * MBIT, 16, 0), 2);
    sim.setRate(0, new DownRate(10 * MBIT, 10 * MBIT, 10 * MBIT));
    sim.busy[0] = true;
    sim.window(SECOND / 2, 2 * SECOND);
    sim.runUntil(2 * SECOND);
    assertThat(sim.mbps(0) / 10).isCloseTo(1.0, within(0.02));

    int classBefore = sim.sessions[0].downClass;
    var coa = SpeedLimits.fromAttributes(java.util.Map.of("Mikrotik-Rate-Limit", "5M/40M 0/0 0/0 0/0 8 5M/20M"));
    sim.setRate(0, DownRate.of(coa.download()));
    assertThat(sim.sessions[0].downClass).isEqualTo(classBefore);
    assertThat(sim.shaping.hierarchy().plan(classBefore).rateBps()).isEqualTo(20 * MBIT);
    assertThat(sim.shaping.hierarchy().plan(classBefore).ceilBps()).isEqualTo(40 * MBIT);
    sim.window(2 * SECOND + SECOND / 2, 4 * SECOND);
    sim.runUntil(4 * SECOND);
    assertThat(sim.mbps(0) / 40).isCloseTo(1.0, within(0.02)); // alone: up to the new ceiling
    for (DropReason r : DropReason.values()) {
      if (r != DropReason.CODEL) assertThat(sim.shaping.drops(r)).as(r.label()).isZero();
    }
  }

  @Test
  void sessionEndReturnsItsBuffersAndCountsThemAsClassRemoved() {
    var sim = new Sim(new DownstreamShaping(10 * MBIT, 4, 0), 1);
    sim.setRate(0, new DownRate(MBIT, MBIT, MBIT));
    sim.busy[0] = true;
    sim.runUntil(SECOND / 10);
    int queued = sim.shaping.queuedPackets();
    assertThat(queued).isPositive();
    sim.shaping.forget(sim.sessions[0]);
    assertThat(sim.shaping.queuedPackets()).isZero();
    assertThat(sim.shaping.drops(DropReason.CLASS_REMOVED)).isEqualTo(queued);
    assertThat(sim.sessions[0].downClass).isEqualTo(-1);
    // a late CoA for the ended session gives it no class again
    sim.setRate(0, new DownRate(2 * MBIT, 2 * MBIT, 2 * MBIT));
    assertThat(sim.sessions[0].downClass).isEqualTo(-1);
  }

  /** Without a download limit a session still belongs to the hierarchy: a small guarantee, the uplink as ceiling. */
  @Test
  void aSessionWithoutALimitBorrowsOnASmallGuarantee() {
    var shaping = new DownstreamShaping(1_000 * MBIT, 10_000, 0);
    assertThat(shaping.planFor(null).rateBps()).isEqualTo(100_000); // 1G / 10,000 sessions
    assertThat(shaping.planFor(null).ceilBps()).isEqualTo(1_000 * MBIT);
    var sim = new Sim(new DownstreamShaping(20 * MBIT, 4, 0), 1);
    sim.setRate(0, null);
    assertThat(sim.shaping.shapes(sim.sessions[0])).isTrue();
    sim.busy[0] = true;
    sim.window(SECOND / 2, 2 * SECOND);
    sim.runUntil(2 * SECOND);
    assertThat(sim.mbps(0) / 20).isCloseTo(1.0, within(0.02));
  }

  /** Without uplink-down: today's per-session tbf at the RADIUS rate, and sessions without a limit unshaped. */
  @Test
  void withoutUplinkDownEachSessionHasItsOwnTbf() {
    var sim = new Sim(new DownstreamShaping(), 2);
    sim.setRate(0, plan10ceil50()); // the flat shaper takes the rate (RP wins), no borrowing
    sim.setRate(1, null);
    assertThat(sim.shaping.shapes(sim.sessions[1])).isFalse();
    assertThat(sim.shaping.hierarchical()).isFalse();
    sim.busy[0] = true;
    sim.window(SECOND / 2, 2 * SECOND);
    sim.runUntil(2 * SECOND);
    assertThat(sim.mbps(0) / 10).isCloseTo(1.0, within(0.02));
    sim.setRate(0, new DownRate(5 * MBIT, 5 * MBIT, 5 * MBIT)); // CoA
    sim.window(2 * SECOND + SECOND / 2, 4 * SECOND);
    sim.runUntil(4 * SECOND);
    assertThat(sim.mbps(0) / 5).isCloseTo(1.0, within(0.02));
  }

  /** Per packet, enqueue and release allocate nothing (thread allocation counter over many packets). */
  @Test
  void perPacketPathDoesNotAllocate() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var sim = new Sim(new DownstreamShaping(60 * MBIT, 16, 0), 2);
    sim.setRate(0, plan10ceil50());
    sim.setRate(1, plan10ceil50());
    sim.busy[0] = sim.busy[1] = true;
    sim.runUntil(SECOND); // warm up: slot buffers are created once, on first use
    DownstreamShaping.Sender sink = (s, p, len) -> { };
    long before = threads.getCurrentThreadAllocatedBytes();
    long now = sim.now;
    for (int i = 0; i < 200_000; i++) {
      now += 200_000; // one 1500-byte packet time at 60 Mbit/s
      Subscriber s = sim.sessions[i & 1];
      if (sim.queued(s) < 40) sim.shaping.enqueue(s, sim.packet, PACKET, now);
      sim.shaping.release(now, sink);
    }
    assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(1_024);
  }

  @Test
  void uplinkDownIsReadFromTheConfigWithDecimalSuffixes() {
    String yaml = """
        interface: eth1
        radius: ["127.0.0.1:1812"]
        radius-secret: testing123
        prefix-pool: 2001:db8:100::/40
        uplink-down: 60M
        """;
    var config = new ConfigLoader().read(new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
        "test.yaml", PppoeConfig.class);
    assertThat(config.uplinkDownBps()).isEqualTo(60 * MBIT);
    var absent = new ConfigLoader().read(new java.io.ByteArrayInputStream(
        yaml.replace("uplink-down: 60M\n", "").getBytes(StandardCharsets.UTF_8)), "test.yaml", PppoeConfig.class);
    assertThat(absent.uplinkDownBps()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConfigLoader().read(new java.io.ByteArrayInputStream(
        yaml.replace("60M", "fast").getBytes(StandardCharsets.UTF_8)), "test.yaml", PppoeConfig.class))
        .hasMessageContaining("uplink-down");
  }
}
