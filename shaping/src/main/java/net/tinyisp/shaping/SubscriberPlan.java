package net.tinyisp.shaping;

/**
 * One subscriber class of the {@link HierarchicalShaper}: the guaranteed rate (the plan, from RADIUS) and the
 * ceiling it may borrow up to when the uplink has idle capacity, both in bit/s, with their bucket sizes in bytes.
 * A zero burst means the default: one millisecond at the rate plus one 1514-byte frame, as Linux HTB sizes its
 * buckets ({@code rate/HZ + mtu} with HZ=1000). A zero ceiling means "no borrowing" (ceiling = rate).
 */
public record SubscriberPlan(long rateBps, long ceilBps, long burstBytes, long ceilBurstBytes) {

    public SubscriberPlan {
        if (rateBps < 1 || rateBps > TokenBucket.MAX_RATE_BPS) {
            throw new IllegalArgumentException("rate must be 1.." + TokenBucket.MAX_RATE_BPS + " bit/s, got " + rateBps);
        }
        if (ceilBps == 0) {
            ceilBps = rateBps;
        }
        if (ceilBps < rateBps || ceilBps > TokenBucket.MAX_RATE_BPS) {
            throw new IllegalArgumentException("ceil must be at least the rate (" + rateBps + " bit/s) and at most "
                    + TokenBucket.MAX_RATE_BPS + ", got " + ceilBps);
        }
        if (burstBytes == 0) {
            burstBytes = defaultBurst(rateBps);
        }
        if (ceilBurstBytes == 0) {
            ceilBurstBytes = defaultBurst(ceilBps);
        }
        TokenBucket.validate(rateBps, burstBytes);
        TokenBucket.validate(ceilBps, ceilBurstBytes);
    }

    /** A plan with default bursts. */
    public static SubscriberPlan of(long rateBps, long ceilBps) {
        return new SubscriberPlan(rateBps, ceilBps, 0, 0);
    }

    static long defaultBurst(long rateBps) {
        return rateBps / 8 / 1000 + 1514;
    }
}
