package net.tinyisp.dns.server.udp;

/**
 * Whether a UDP loop spins on non-blocking receives before it sleeps in recvmmsg(2), and for how long.
 *
 * <p>Why spin at all: a loop asleep on its socket must be woken by whoever queues the next query. On loopback and in
 * virtual machines that wake-up (a cross-CPU interrupt, the idle CPU leaving its halt) costs the sender and adds
 * latency to every round trip; the measured result on the 2-core VM was 10-20 % fewer answers per second under heavy
 * load (docs/bench/dns64.md). HAProxy's {@code busy-polling} and the kernel's NAPI busy polling exist for the same
 * reason.
 *
 * <p>Why only under load: spinning burns the CPU it waits with. The loop spins only while it was busy serving for at
 * least {@link #BUSY_PERCENT} % of the last {@link #PERIOD_NANOS}; below that (a lightly loaded or idle resolver) it
 * sleeps at once, as without busy polling. The caller yields the CPU between attempts, so other threads of the
 * machine (NAT64 workers, the kernel's) still run.
 */
public final class BusyPoll {
  static final int BUSY_PERCENT = 25;
  static final long PERIOD_NANOS = 1_000_000;

  private final long spinNanos;
  private long busy;
  private long idle;
  private boolean on;

  /** {@code spinNanos} 0 turns busy polling off. */
  public BusyPoll(long spinNanos) {
    if (spinNanos < 0) throw new IllegalArgumentException("spin time must not be negative: " + spinNanos);
    this.spinNanos = spinNanos;
  }

  /** How long to spin before the next blocking receive: 0 unless the loop is busy enough. */
  public long spinNanos() {
    return on ? spinNanos : 0;
  }

  /** One turn of the loop: {@code idleNanos} waiting (spinning or asleep), then {@code busyNanos} serving. */
  public void turn(long idleNanos, long busyNanos) {
    idle += idleNanos;
    busy += busyNanos;
    long total = idle + busy;
    if (total < PERIOD_NANOS) return;
    on = spinNanos > 0 && busy * 100 >= total * BUSY_PERCENT;
    busy = 0;
    idle = 0;
  }
}
