package net.tinyisp.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The borrowing scheduler in simulated time. Greedy senders keep a fixed backlog per class (a packet is queued
 * again as soon as one of theirs leaves or is dropped), and time jumps to the shaper's next event.
 */
class HierarchicalShaperTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long MBIT = 1_000_000L;
    private static final int MTU = 1500;

    /** Keeps {@code backlog} packets queued in each busy class; tallies bytes per class inside a time window. */
    private static final class GreedySenders {
        final HierarchicalShaper shaper;
        final long[] bytes;
        final boolean[] busy;
        final int backlog;
        long windowStart;
        long windowEnd = Long.MAX_VALUE;
        int nextHandle;

        GreedySenders(HierarchyConfig config, int classes, int backlog) {
            this.shaper = new HierarchicalShaper(config, 0, DropListener.IGNORE);
            this.bytes = new long[classes];
            this.busy = new boolean[classes];
            this.backlog = backlog;
        }

        void start(int id, long now) {
            busy[id] = true;
            while (shaper.queuedPackets(id) < backlog) {
                shaper.enqueue(id, 7, nextHandle++, MTU, now);
            }
        }

        void stop(int id) {
            busy[id] = false;
        }

        /** Runs until {@code until}, sending whatever the shaper releases. */
        void runUntil(long from, long until) {
            long now = from;
            while (now < until) {
                int h;
                while ((h = shaper.dequeue(now)) != HierarchicalShaper.NONE) {
                    int id = shaper.lastClass();
                    if (now >= windowStart && now < windowEnd) {
                        bytes[id] += shaper.lastLength();
                    }
                    if (busy[id]) {
                        shaper.enqueue(id, 7, nextHandle++, MTU, now);
                    }
                }
                long next = shaper.nextEventNanos();
                if (next == Long.MAX_VALUE) {
                    return;
                }
                now = Math.max(next, now);
            }
        }

        double mbps(int id) {
            return bytes[id] * 8.0 / ((windowEnd - windowStart) / (double) SECOND) / MBIT;
        }
    }

    private static HierarchyConfig sixtyMegUplink() {
        return HierarchyConfig.forUplink(60 * MBIT).withMaxClasses(16);
    }

    /** Requirement: plan 10 Mbit/s, ceiling 50 Mbit/s, uplink 60 Mbit/s: one subscriber alone gets ~50. */
    @Test
    void aloneASubscriberBorrowsUpToItsCeiling() {
        var sim = new GreedySenders(sixtyMegUplink(), 2, 50);
        int a = sim.shaper.addClass(SubscriberPlan.of(10 * MBIT, 50 * MBIT), 0);
        sim.shaper.addClass(SubscriberPlan.of(10 * MBIT, 50 * MBIT), 0);
        sim.start(a, 0);
        sim.windowStart = SECOND / 10;
        sim.windowEnd = 2 * SECOND;
        sim.runUntil(0, 2 * SECOND);
        assertThat(sim.mbps(a) / 50).isCloseTo(1.0, within(0.01));
        assertThat(sim.shaper.borrowedBytes(a)).isPositive();
    }

    /** Requirement: both busy get ~30 Mbit/s each (10 guaranteed + half of the 40 left idle). */
    @Test
    void twoBusySubscribersShareTheUplinkEqually() {
        var sim = new GreedySenders(sixtyMegUplink(), 2, 50);
        int a = sim.shaper.addClass(SubscriberPlan.of(10 * MBIT, 50 * MBIT), 0);
        int b = sim.shaper.addClass(SubscriberPlan.of(10 * MBIT, 50 * MBIT), 0);
        sim.start(a, 0);
        sim.start(b, 0);
        sim.windowStart = SECOND / 10;
        sim.windowEnd = 2 * SECOND;
        sim.runUntil(0, 2 * SECOND);
        assertThat(sim.mbps(a) / 30).isCloseTo(1.0, within(0.01));
        assertThat(sim.mbps(b) / 30).isCloseTo(1.0, within(0.01));
    }

    /** One subscriber alone at its ceiling falls back to its share when the other wakes up, and back again. */
    @Test
    void fallsBackToItsShareWhenAnotherBecomesBusy() {
        var sim = new GreedySenders(sixtyMegUplink(), 2, 50);
        int a = sim.shaper.addClass(SubscriberPlan.of(10 * MBIT, 50 * MBIT), 0);
        int b = sim.shaper.addClass(SubscriberPlan.of(10 * MBIT, 50 * MBIT), 0);
        sim.start(a, 0);
        sim.windowStart = SECOND / 2;
        sim.windowEnd = SECOND;
        sim.runUntil(0, SECOND);
        assertThat(sim.mbps(a)).isCloseTo(50, within(0.5));
        java.util.Arrays.fill(sim.bytes, 0);
        sim.start(b, SECOND);
        sim.windowStart = SECOND + SECOND / 10;
        sim.windowEnd = 2 * SECOND;
        sim.runUntil(SECOND, 2 * SECOND);
        assertThat(sim.mbps(a)).isCloseTo(30, within(0.3));
        assertThat(sim.mbps(b)).isCloseTo(30, within(0.3));
    }

    /** The uplink's capacity changes at runtime (degraded backhaul): 60 -> 40 Mbit/s, two borrowers get 20 each. */
    @Test
    void uplinkChangeIsSharedAtOnce() {
        var sim = new GreedySenders(sixtyMegUplink(), 2, 50);
        int a = sim.shaper.addClass(SubscriberPlan.of(10 * MBIT, 50 * MBIT), 0);
        int b = sim.shaper.addClass(SubscriberPlan.of(10 * MBIT, 50 * MBIT), 0);
        sim.start(a, 0);
        sim.start(b, 0);
        sim.windowEnd = 0; // count nothing before the change
        sim.runUntil(0, SECOND);
        sim.shaper.setUplink(40 * MBIT, SubscriberPlan.defaultBurst(40 * MBIT), SECOND);
        sim.windowStart = SECOND + SECOND / 10;
        sim.windowEnd = 2 * SECOND;
        sim.runUntil(SECOND, 2 * SECOND);
        assertThat(sim.mbps(a) / 20).isCloseTo(1.0, within(0.01));
        assertThat(sim.mbps(b) / 20).isCloseTo(1.0, within(0.01));
    }

    /**
     * Guarantees hold when plans differ: plan 40 (ceil 60) and plan 5 (ceil 60) on 60: the excess 15 is split
     * equally, so 47.5 and 12.5.
     */
    @Test
    void guaranteedRatesHoldAndOnlyTheExcessIsSplit() {
        var sim = new GreedySenders(sixtyMegUplink(), 2, 50);
        int big = sim.shaper.addClass(SubscriberPlan.of(40 * MBIT, 60 * MBIT), 0);
        int small = sim.shaper.addClass(SubscriberPlan.of(5 * MBIT, 60 * MBIT), 0);
        sim.start(big, 0);
        sim.start(small, 0);
        sim.windowStart = SECOND / 10;
        sim.windowEnd = 2 * SECOND;
        sim.runUntil(0, 2 * SECOND);
        assertThat(sim.mbps(big) / 47.5).isCloseTo(1.0, within(0.01));
        assertThat(sim.mbps(small) / 12.5).isCloseTo(1.0, within(0.01));
    }

    /**
     * Requirement: long-run rate within ±1% from 64 kbit/s to 10 Gbit/s, through the hierarchy too: one busy class
     * with rate = ceiling on an uplink twice as fast, greedy sender with packets of the given size.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} bit/s, {1}-byte packets")
    @org.junit.jupiter.params.provider.CsvSource({"64000, 64", "64000, 1500", "1000000, 576", "10000000, 1500",
        "100000000, 64", "1000000000, 1500", "10000000000, 1500", "10000000000, 9000"})
    void classRateIsWithinOnePercent(long rateBps, int packetBytes) {
        var config = HierarchyConfig.forUplink(Math.min(2 * rateBps, TokenBucket.MAX_RATE_BPS)).withMaxClasses(2);
        var shaper = new HierarchicalShaper(config, 0, DropListener.IGNORE);
        int id = shaper.addClass(SubscriberPlan.of(rateBps, rateBps), 0);
        long duration = (long) (20_000.0 * packetBytes * 8 * SECOND / rateBps);
        long windowStart = duration / 10;
        long bytes = 0;
        long now = 0;
        int handle = 0;
        while (now < duration) {
            while (shaper.queuedPackets(id) < 4) {
                shaper.enqueue(id, 3, handle++, packetBytes, now);
            }
            while (shaper.dequeue(now) != HierarchicalShaper.NONE) {
                if (now >= windowStart) {
                    bytes += shaper.lastLength();
                }
                shaper.enqueue(id, 3, handle++, packetBytes, now);
            }
            now = shaper.nextEventNanos();
        }
        double measured = bytes * 8.0 * SECOND / (duration - windowStart);
        assertThat(measured / rateBps).isCloseTo(1.0, within(0.01));
    }

    /** Requirement: live plan change (CoA) while busy, without losing queued packets. */
    @Test
    void updateClassChangesTheRateAtOnceAndKeepsTheQueue() {
        List<DropReason> drops = new ArrayList<>();
        var config = HierarchyConfig.forUplink(100 * MBIT).withMaxClasses(4);
        var shaper = new HierarchicalShaper(config, 0, (h, l, r) -> drops.add(r));
        int id = shaper.addClass(SubscriberPlan.of(10 * MBIT, 10 * MBIT), 0);
        long[] perSecond = new long[2];
        int handle = 0;
        long now = 0;
        boolean changed = false;
        while (now < 2 * SECOND) {
            if (!changed && now >= SECOND) {
                int queued = shaper.queuedPackets(id);
                shaper.updateClass(id, SubscriberPlan.of(20 * MBIT, 20 * MBIT), SECOND);
                assertThat(shaper.queuedPackets(id)).isEqualTo(queued);
                changed = true;
            }
            while (shaper.queuedPackets(id) < 3) { // short queue: below CoDel's target at both rates
                shaper.enqueue(id, 1, handle++, MTU, now);
            }
            while (shaper.dequeue(now) != HierarchicalShaper.NONE) {
                perSecond[(int) (now / SECOND)] += shaper.lastLength();
            }
            long next = shaper.nextEventNanos();
            now = !changed && next > SECOND ? SECOND : next;
        }
        assertThat(perSecond[0] * 8 / 10e6).isCloseTo(1.0, within(0.01));
        assertThat(perSecond[1] * 8 / 20e6).isCloseTo(1.0, within(0.01));
        assertThat(drops).isEmpty();
    }

    /**
     * Requirement: flow fairness inside a subscriber. A bulk flow keeps 200 packets queued (a non-responsive sender
     * far above the 10 Mbit/s plan); a sparse flow sends one 200-byte packet every 20 ms. The sparse packets wait
     * at most about one MTU's serialisation (1.2 ms at 10 Mbit/s), while the bulk flow's packets wait far longer.
     */
    @Test
    void sparseFlowSeesShortDelayNextToABulkFlow() {
        var config = HierarchyConfig.forUplink(100 * MBIT).withMaxClasses(4);
        long[] enqueuedAt = new long[1 << 20];
        var shaper = new HierarchicalShaper(config, 0, DropListener.IGNORE);
        int id = shaper.addClass(SubscriberPlan.of(10 * MBIT, 10 * MBIT), 0);
        int bulkHash = 1;
        int sparseHash = 2;
        assertThat(flowOf(shaper, bulkHash)).isNotEqualTo(flowOf(shaper, sparseHash));
        int handle = 0;
        long now = 0;
        long nextSparse = 5_000_000;
        long maxSparseDelay = 0;
        long maxBulkDelay = 0;
        int sparseSent = 0;
        boolean[] isSparse = new boolean[1 << 20];
        while (now < 3 * SECOND) {
            while (shaper.queuedPackets(id) < 200) {
                enqueuedAt[handle] = now;
                shaper.enqueue(id, bulkHash, handle++, MTU, now);
            }
            if (now >= nextSparse) {
                enqueuedAt[handle] = now;
                isSparse[handle] = true;
                shaper.enqueue(id, sparseHash, handle++, 200, now);
                nextSparse += 20_000_000;
            }
            int h;
            while ((h = shaper.dequeue(now)) != HierarchicalShaper.NONE) {
                long delay = now - enqueuedAt[h];
                if (isSparse[h]) {
                    maxSparseDelay = Math.max(maxSparseDelay, delay);
                    sparseSent++;
                } else if (now > SECOND) {
                    maxBulkDelay = Math.max(maxBulkDelay, delay);
                }
            }
            now = Math.min(shaper.nextEventNanos(), nextSparse);
        }
        assertThat(sparseSent).isGreaterThanOrEqualTo(145);
        assertThat(maxSparseDelay).isLessThanOrEqualTo(1_300_000L);
        assertThat(maxBulkDelay).isGreaterThan(50_000_000L);
        assertThat(shaper.drops(DropReason.CODEL)).isPositive();
    }

    private static int flowOf(HierarchicalShaper shaper, int hash) {
        return new FlowQueues(new PacketSlots(1), shaper.config().flowsPerClass(), 1514, 1514, 10,
                new CodelParameters(1, 1), (h, l, r) -> { }).flowOf(hash);
    }

    /**
     * Requirement: CoDel drops under a standing queue. A flow kept at 100 queued packets (120 ms at 10 Mbit/s, far
     * above the 5 ms target) is first dropped only after sojourn has stayed above target for an interval (100 ms),
     * and then more and more often (RFC 8289 control law). A flow that never builds a queue is never dropped.
     */
    @Test
    void codelDropsUnderAStandingQueueAndNotOtherwise() {
        var config = HierarchyConfig.forUplink(100 * MBIT).withMaxClasses(4);
        List<Long> dropTimes = new ArrayList<>();
        long[] clock = {0};
        var shaper = new HierarchicalShaper(config, 0, (h, l, r) -> {
            if (r == DropReason.CODEL) {
                dropTimes.add(clock[0]);
            }
        });
        int standing = shaper.addClass(SubscriberPlan.of(10 * MBIT, 10 * MBIT), 0);
        int light = shaper.addClass(SubscriberPlan.of(10 * MBIT, 10 * MBIT), 0);
        int handle = 0;
        long nextLight = 0;
        while (clock[0] < 3 * SECOND) {
            long now = clock[0];
            while (shaper.queuedPackets(standing) < 100) {
                shaper.enqueue(standing, 1, handle++, MTU, now);
            }
            if (now >= nextLight) { // 50% of its plan, evenly spaced: never a standing queue
                shaper.enqueue(light, 9, handle++, MTU, now);
                nextLight += 2_400_000;
            }
            while (shaper.dequeue(now) != HierarchicalShaper.NONE) {
                // on the wire
            }
            clock[0] = Math.min(shaper.nextEventNanos(), nextLight);
        }
        assertThat(dropTimes).isNotEmpty();
        // the standing queue exists from t=0; its first packets' sojourn crosses 5 ms early, then one interval
        assertThat(dropTimes.getFirst()).isGreaterThanOrEqualTo(100_000_000L);
        assertThat(dropTimes.getFirst()).isLessThan(200_000_000L);
        long firstSecond = dropTimes.stream().filter(t -> t < SECOND).count();
        long thirdSecond = dropTimes.stream().filter(t -> t >= 2 * SECOND).count();
        assertThat(thirdSecond).isGreaterThan(firstSecond);
        assertThat(shaper.droppedPackets(light)).isZero();
        assertThat(shaper.droppedPackets(standing)).isEqualTo(dropTimes.size());
    }

    /**
     * Requirement: 10,000 subscriber classes. Uplink 10 Gbit/s; every class plan 500 kbit/s, ceiling 5 Mbit/s,
     * all busy: each gets its 0.5 plus an equal share of the 5 Gbit/s excess, 1 Mbit/s in all; the uplink is full.
     */
    @Test
    void tenThousandBusyClassesEachGetTheirShare() {
        int n = 10_000;
        var config = HierarchyConfig.forUplink(10_000 * MBIT).withMaxClasses(n).withPacketSlots(4 * n)
                .withFlowsPerClass(8);
        var sim = new GreedySenders(config, n, 2);
        for (int i = 0; i < n; i++) {
            int id = sim.shaper.addClass(SubscriberPlan.of(500_000, 5 * MBIT), 0);
            sim.start(id, 0);
        }
        sim.windowStart = SECOND / 10;
        sim.windowEnd = SECOND + SECOND / 10;
        sim.runUntil(0, SECOND + SECOND / 10);
        double total = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double m = sim.mbps(i);
            total += m;
            min = Math.min(min, m);
            max = Math.max(max, m);
        }
        assertThat(total / 10_000).isCloseTo(1.0, within(0.01));
        // 1 s at 1 Mbit/s is 83 packets of 1500 bytes: the window's edges cut a guaranteed and a borrowed packet
        // either way, the phase of each class's bucket adds one more, and DRR among the borrowers may let a class
        // send one packet more in a turn than its neighbour (its lag bound is a quantum plus a packet, Shreedhar and
        // Varghese 1996), so ±4 packets (4.8%) bound one class
        assertThat(min).isGreaterThan(0.952);
        assertThat(max).isLessThan(1.048);
        assertThat(sim.shaper.classCount()).isEqualTo(n);
    }

    /** Classes come and go at runtime: removal drops the queue with a named reason; ids are reused. */
    @Test
    void addAndRemoveClassesAtRuntime() {
        List<DropReason> drops = new ArrayList<>();
        var shaper = new HierarchicalShaper(HierarchyConfig.forUplink(100 * MBIT).withMaxClasses(2), 0,
                (h, l, r) -> drops.add(r));
        int a = shaper.addClass(SubscriberPlan.of(MBIT, MBIT), 0);
        int b = shaper.addClass(SubscriberPlan.of(MBIT, MBIT), 0);
        assertThatThrownBy(() -> shaper.addClass(SubscriberPlan.of(MBIT, MBIT), 0))
                .isInstanceOf(IllegalStateException.class);
        for (int i = 0; i < 10; i++) {
            shaper.enqueue(a, i, i, MTU, 0);
            shaper.enqueue(b, i, 100 + i, MTU, 0);
        }
        shaper.removeClass(a, 0);
        assertThat(drops).hasSize(10).containsOnly(DropReason.CLASS_REMOVED);
        assertThat(shaper.queuedPackets()).isEqualTo(10);
        assertThat(shaper.enqueue(a, 1, 999, MTU, 0)).isFalse();
        assertThat(drops.getLast()).isEqualTo(DropReason.NO_SUCH_CLASS);
        int c = shaper.addClass(SubscriberPlan.of(MBIT, MBIT), 0);
        assertThat(c).isEqualTo(a);
        // b's packets all leave; nothing from the removed class does
        List<Integer> sent = new ArrayList<>();
        long now = 0;
        while (shaper.queuedPackets() > 0) {
            int h;
            while ((h = shaper.dequeue(now)) != HierarchicalShaper.NONE) {
                sent.add(h);
            }
            now = shaper.nextEventNanos();
        }
        assertThat(sent).hasSize(10).allMatch(h -> h >= 100);
    }

    /** The shared pool bounds memory: when it is exhausted the arriving packet is refused and counted. */
    @Test
    void exhaustedPoolRefusesTheArrivingPacket() {
        var shaper = new HierarchicalShaper(HierarchyConfig.forUplink(MBIT).withMaxClasses(2).withPacketSlots(5), 0,
                DropListener.IGNORE);
        int a = shaper.addClass(SubscriberPlan.of(MBIT, MBIT), 0);
        for (int i = 0; i < 5; i++) {
            assertThat(shaper.enqueue(a, i, i, 100, 0)).isTrue();
        }
        assertThat(shaper.enqueue(a, 1, 5, 100, 0)).isFalse();
        assertThat(shaper.drops(DropReason.POOL_EXHAUSTED)).isEqualTo(1);
    }

    /** RFC 8290 §4.1: over the class limit, the head of the fattest flow is dropped, not the arriving sparse packet. */
    @Test
    void overlimitDropsFromTheFattestFlow() {
        List<Integer> dropped = new ArrayList<>();
        var config = HierarchyConfig.forUplink(MBIT).withMaxClasses(2).withClassLimitPackets(10);
        var shaper = new HierarchicalShaper(config, 0, (h, l, r) -> dropped.add(h));
        int a = shaper.addClass(SubscriberPlan.of(MBIT, MBIT), 0);
        for (int i = 0; i < 10; i++) {
            shaper.enqueue(a, 1, i, MTU, 0);
        }
        assertThat(shaper.enqueue(a, 2, 100, 64, 0)).isTrue();
        assertThat(dropped).containsExactly(0);
        assertThat(shaper.drops(DropReason.OVERLIMIT)).isEqualTo(1);
    }

    @Test
    void nothingQueuedMeansNoEvent() {
        var shaper = new HierarchicalShaper(HierarchyConfig.forUplink(MBIT).withMaxClasses(1), 0, DropListener.IGNORE);
        assertThat(shaper.nextEventNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(shaper.dequeue(5)).isEqualTo(HierarchicalShaper.NONE);
    }
}
