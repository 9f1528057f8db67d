package net.tinyisp.shaping.bench;

import java.util.concurrent.TimeUnit;
import net.tinyisp.shaping.DropListener;
import net.tinyisp.shaping.HierarchicalShaper;
import net.tinyisp.shaping.HierarchyConfig;
import net.tinyisp.shaping.Policer;
import net.tinyisp.shaping.SubscriberPlan;
import net.tinyisp.shaping.TokenBucketShaper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU cost of the per-packet path: one operation is one packet through the shaper (an enqueue and the dequeue
 * that releases a packet), with a simulated clock that advances by one 1500-byte packet time of the uplink per
 * operation, so the shaper is always busy and never idle. Not a test; run by {@code bench/shaping/run.sh}.
 *
 * <ul>
 *   <li>{@code hierarchical}: N subscriber classes on a 10 Gbit/s uplink, each with a guaranteed rate of half its
 *       fair share and a ceiling of the whole uplink, so half the packets go through the borrowing path (SFQ heap)
 *       and half through the guaranteed path (DRR ring); every class keeps 2 packets queued in 4 flows.</li>
 *   <li>{@code tbf}: N independent {@link TokenBucketShaper}s (one per session, as the simple per-session download
 *       shaper), packets round-robin over sessions.</li>
 *   <li>{@code policer}: N {@link Policer}s, round-robin.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ShapingBenchmark {

    private static final long UPLINK_BPS = 10_000_000_000L;
    private static final int PACKET = 1500;
    private static final long PACKET_NANOS = PACKET * 8L * 1_000_000_000L / UPLINK_BPS; // 1200 ns

    @Param({"1", "100", "10000"})
    public int sessions;

    private HierarchicalShaper hierarchical;
    private TokenBucketShaper[] tbf;
    private Policer[] policers;
    private long now;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        now = 0;
        var config = HierarchyConfig.forUplink(UPLINK_BPS).withMaxClasses(sessions).withPacketSlots(4 * sessions + 16)
                .withFlowsPerClass(16);
        hierarchical = new HierarchicalShaper(config, 0, DropListener.IGNORE);
        long rate = Math.max(1, UPLINK_BPS / sessions / 2);
        int handle = 0;
        for (int i = 0; i < sessions; i++) {
            int id = hierarchical.addClass(SubscriberPlan.of(rate, UPLINK_BPS), 0);
            hierarchical.enqueue(id, i * 4, handle++, PACKET, 0);
            hierarchical.enqueue(id, i * 4 + 1, handle++, PACKET, 0);
        }
        tbf = new TokenBucketShaper[sessions];
        policers = new Policer[sessions];
        for (int i = 0; i < sessions; i++) {
            // each session's own rate is the link rate: the bucket is the gate, the clock keeps it busy
            tbf[i] = new TokenBucketShaper(UPLINK_BPS, 3000, 64 * 1024, 64, 0, DropListener.IGNORE);
            policers[i] = new Policer(UPLINK_BPS / sessions, 3000, 0);
        }
    }

    /** One packet out of the hierarchy and its sender's next packet in: the busy steady state. */
    @Benchmark
    public int hierarchical() {
        now += PACKET_NANOS;
        HierarchicalShaper s = hierarchical;
        int h = s.dequeue(now);
        if (h != HierarchicalShaper.NONE) {
            int id = s.lastClass();
            s.enqueue(id, h & 3, h, PACKET, now);
        }
        return h;
    }

    @Benchmark
    public int tbf() {
        now += PACKET_NANOS;
        int i = next;
        next = i + 1 == sessions ? 0 : i + 1;
        TokenBucketShaper s = tbf[i];
        s.enqueue(i, PACKET, now);
        return s.dequeue(now);
    }

    @Benchmark
    public boolean policer() {
        now += PACKET_NANOS;
        int i = next;
        next = i + 1 == sessions ? 0 : i + 1;
        return policers[i].conforms(PACKET, now);
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {ShapingBenchmark.class.getName()});
    }
}
