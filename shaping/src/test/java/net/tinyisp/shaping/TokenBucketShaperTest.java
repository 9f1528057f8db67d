package net.tinyisp.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** tbf semantics in simulated time: no wall clock, no sleeps; time jumps to the shaper's next event. */
class TokenBucketShaperTest {

    private static final long SECOND = 1_000_000_000L;

    /**
     * Requirement: long-run rate within ±1% of configured, 64 kbit/s to 10 Gbit/s, several packet sizes. A greedy
     * sender keeps the queue non-empty; the rate is measured over a window that starts after the initial burst.
     */
    @ParameterizedTest(name = "{0} bit/s, {1}-byte packets")
    @CsvSource({
        "64000, 64", "64000, 1500",
        "1000000, 64", "1000000, 576", "1000000, 1500",
        "10000000, 1500", "100000000, 1500", "100000000, 64",
        "1000000000, 1500", "1000000000, 9000",
        "10000000000, 1500", "10000000000, 64", "10000000000, 65536"})
    void longRunRateIsWithinOnePercent(long rateBps, int packetBytes) {
        long burst = Math.max(packetBytes, rateBps / 8 / 250); // tc's usual rate/HZ-style sizing, 4 ms of rate
        long limit = TokenBucketShaper.limitForLatency(rateBps, burst, 50_000_000L);
        var shaper = new TokenBucketShaper(rateBps, burst, limit, 4096, 0, DropListener.IGNORE);
        long packetsWanted = 20_000;
        long duration = (long) ((double) packetsWanted * packetBytes * 8 * SECOND / rateBps);
        long windowStart = duration / 10;
        long now = 0;
        long bytesInWindow = 0;
        int handle = 0;
        while (now < duration) {
            while (shaper.queuedBytes() + packetBytes <= limit && shaper.queuedPackets() < 4096) {
                shaper.enqueue(handle++, packetBytes, now);
            }
            while (shaper.dequeue(now) != TokenBucketShaper.NONE) {
                if (now >= windowStart) {
                    bytesInWindow += packetBytes;
                }
            }
            if (shaper.queuedPackets() > 0) { // an empty queue refills at the same instant
                now = shaper.nextEventNanos();
            }
        }
        double measured = bytesInWindow * 8.0 * SECOND / (duration - windowStart);
        assertThat(measured / rateBps).isCloseTo(1.0, within(0.01));
        assertThat(shaper.drops(DropReason.QUEUE_FULL)).isZero();
    }

    /** Requirement: an idle bucket passes {@code burst} bytes at line rate (same instant), then settles at rate. */
    @Test
    void idleBucketPassesBurstAtOnceThenSettles() {
        long rate = 8_000_000; // 1 MB/s
        int burst = 30_000;
        var shaper = new TokenBucketShaper(rate, burst, 1_000_000, 1024, 0, DropListener.IGNORE);
        long t0 = 5 * SECOND; // idle for 5 s: full bucket, not more
        for (int i = 0; i < 100; i++) {
            shaper.enqueue(i, 1000, t0);
        }
        int atOnce = 0;
        while (shaper.dequeue(t0) != TokenBucketShaper.NONE) {
            atOnce++;
        }
        assertThat(atOnce * 1000).isEqualTo(burst);
        // then exactly one 1000-byte packet per millisecond
        List<Long> departures = new ArrayList<>();
        long now = t0;
        while (departures.size() < 10) {
            now = shaper.nextEventNanos();
            while (shaper.dequeue(now) != TokenBucketShaper.NONE) {
                departures.add(now);
            }
        }
        for (int i = 0; i < departures.size(); i++) {
            assertThat(departures.get(i) - t0).isEqualTo((i + 1) * 1_000_000L);
        }
    }

    /** tbf drops what could never conform, and refuses beyond the byte limit; both are counted and reported. */
    @Test
    void refusesOversizedAndOverLimitWithNamedReasons() {
        List<DropReason> seen = new ArrayList<>();
        var shaper = new TokenBucketShaper(1_000_000, 2000, 3000, 16, 0, (h, l, r) -> seen.add(r));
        assertThat(shaper.enqueue(1, 2001, 0)).isFalse();
        assertThat(shaper.enqueue(2, 1500, 0)).isTrue();
        assertThat(shaper.enqueue(3, 1500, 0)).isTrue();
        assertThat(shaper.enqueue(4, 1, 0)).isFalse();
        assertThat(seen).containsExactly(DropReason.LARGER_THAN_BURST, DropReason.QUEUE_FULL);
        assertThat(shaper.drops(DropReason.QUEUE_FULL)).isEqualTo(1);
        assertThat(shaper.drops(DropReason.LARGER_THAN_BURST)).isEqualTo(1);
    }

    /**
     * Requirement: live rate change (CoA) takes effect at once and loses no queued packet. 10 Mbit/s for 1 s, then
     * 2 Mbit/s for 1 s, with the queue kept full; each second is measured separately.
     */
    @Test
    void setRateTakesEffectAtOnceWithoutLosingQueuedPackets() {
        var dropped = new ArrayList<Integer>();
        long limit = 200_000;
        var shaper = new TokenBucketShaper(10_000_000, 3000, limit, 1024, 0, (h, l, r) -> dropped.add(h));
        long now = 0;
        int next = 0;
        long[] bytesPerSecond = new long[2];
        boolean changed = false;
        List<Integer> order = new ArrayList<>();
        while (now < 2 * SECOND) {
            if (!changed && now >= SECOND) {
                int queuedBefore = shaper.queuedPackets();
                shaper.setRate(2_000_000, 3000, limit, SECOND);
                assertThat(shaper.queuedPackets()).isEqualTo(queuedBefore);
                changed = true;
            }
            while (shaper.queuedBytes() + 1000 <= limit) {
                shaper.enqueue(next++, 1000, now);
            }
            int h;
            while ((h = shaper.dequeue(now)) != TokenBucketShaper.NONE) {
                order.add(h);
                bytesPerSecond[(int) (now / SECOND)] += 1000;
            }
            long event = shaper.nextEventNanos();
            now = !changed && event > SECOND ? SECOND : event;
        }
        assertThat(bytesPerSecond[0] * 8 / 10_000_000.0).isCloseTo(1.0, within(0.01));
        assertThat(bytesPerSecond[1] * 8 / 2_000_000.0).isCloseTo(1.0, within(0.01));
        assertThat(dropped).isEmpty();
        for (int i = 0; i < order.size(); i++) {
            assertThat(order.get(i)).isEqualTo(i); // FIFO, nothing skipped across the change
        }
    }

    /** tc-tbf(8): latency becomes limit = rate x latency + burst. */
    @Test
    void latencyTurnsIntoAByteLimitAsTcDoes() {
        assertThat(TokenBucketShaper.limitForLatency(1_000_000, 1500, 50_000_000L)).isEqualTo(6250 + 1500);
        assertThat(TokenBucketShaper.limitForLatency(10_240_000, 12_800, 50_000_000L)).isEqualTo(64_000 + 12_800);
    }

    /** A CoA that shrinks the burst below queued packets drops them (they could never leave) and the rest flows. */
    @Test
    void shrinkingTheBurstDropsWhatCanNeverConformInsteadOfBlocking() {
        List<Integer> dropped = new ArrayList<>();
        var shaper = new TokenBucketShaper(1_000_000, 10_000, 100_000, 16, 0, (h, l, r) -> dropped.add(h));
        shaper.enqueue(1, 9000, 0);
        shaper.enqueue(2, 9000, 0);
        shaper.enqueue(3, 500, 0);
        assertThat(shaper.dequeue(0)).isEqualTo(1);
        shaper.setRate(1_000_000, 1500, 100_000, 0);
        long next = shaper.nextEventNanos();
        assertThat(next).isEqualTo(0);
        assertThat(shaper.dequeue(next)).isEqualTo(3); // 2 is dropped; 3 fits in the 1000 bytes left
        assertThat(dropped).containsExactly(2);
        assertThat(shaper.drops(DropReason.LARGER_THAN_BURST)).isEqualTo(1);
        assertThat(shaper.nextEventNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void nextEventIsNeverWhenEmpty() {
        var shaper = new TokenBucketShaper(1_000_000, 1500, 10_000, 4, 0, DropListener.IGNORE);
        assertThat(shaper.nextEventNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(shaper.dequeue(10)).isEqualTo(TokenBucketShaper.NONE);
    }
}
