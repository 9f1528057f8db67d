package net.tinyisp.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Requirement: the per-packet path does not allocate. Counts the bytes this thread allocates over 200,000 packets
 * through each shaper (after a warm-up that loads classes); a few hundred bytes of slack cover the measurement
 * itself, while one allocation per packet would be megabytes.
 */
class PerPacketAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void hierarchicalShaperEnqueueDequeueAndCodelDropsAllocateNothing() {
        var shaper = new HierarchicalShaper(HierarchyConfig.forUplink(1_000_000_000L).withMaxClasses(100), 0,
                DropListener.IGNORE);
        for (int i = 0; i < 100; i++) {
            shaper.addClass(SubscriberPlan.of(5_000_000, 20_000_000), 0);
        }
        long[] now = {0};
        Runnable burst = () -> {
            for (int p = 0; p < 200_000; p++) {
                now[0] += 1_000;
                // 1.5 Gbit/s offered to a 1 Gbit/s uplink: queues stand, CoDel and overlimit drop
                shaper.enqueue(p % 100, p & 7, p, 1500, now[0]);
                shaper.dequeue(now[0]);
            }
        };
        burst.run();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        burst.run();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(shaper.drops(DropReason.CODEL) + shaper.drops(DropReason.OVERLIMIT)).isPositive();
        assertThat(allocated).isLessThan(1_024);
    }

    @Test
    void tokenBucketShaperAndPolicerAllocateNothing() {
        var shaper = new TokenBucketShaper(100_000_000, 3000, 30_000, 64, 0, DropListener.IGNORE);
        var policer = new Policer(50_000_000, 3000, 0);
        long[] now = {0};
        Runnable burst = () -> {
            for (int p = 0; p < 200_000; p++) {
                now[0] += 100;
                shaper.enqueue(p, 1500, now[0]);
                shaper.dequeue(now[0]);
                policer.conforms(1500, now[0]);
            }
        };
        burst.run();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        burst.run();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).isLessThan(1_024);
    }
}
