package net.tinyisp.shaping;

/**
 * A token bucket in exact integer arithmetic: the building block of {@link TokenBucketShaper}, {@link Policer} and
 * the per-class buckets of {@link HierarchicalShaper}.
 *
 * <p>Units. Tokens are counted in <em>bit-nanoseconds per second</em> ("credits"): time {@code dt} ns at {@code r}
 * bit/s adds {@code dt * r} credits, and a packet of {@code L} bytes costs {@code L * 8 * 10^9} credits. Both are
 * exact longs, so no rounding accumulates however long the run (a floating-point or per-byte rounded bucket drifts
 * by a fraction of a percent, which the ±1% tests would see at 64 kbit/s). Overflow is avoided by never adding
 * more time than it takes to fill the bucket from its lowest level, and by bounding burst and rate (see
 * {@link #MAX_BURST_BYTES}, {@link #MAX_RATE_BPS}).
 *
 * <p>Like Linux HTB (and unlike tbf), {@link #charge} may take the level below zero: the packet that overdraws is
 * sent and the debt is paid back before the next one. {@link TokenBucketShaper} instead waits until the whole
 * packet fits ({@link #covers}), which is tbf's behaviour. Not thread-safe: one data-plane thread owns it.
 */
public final class TokenBucket {

    /** 1 byte costs this many credits (8 bits times 10^9 ns/s). */
    static final long CREDITS_PER_BYTE = 8L * 1_000_000_000L;
    /** 100 Gbit/s; with {@link #MAX_BURST_BYTES} keeps every product below 2^63. */
    public static final long MAX_RATE_BPS = 100_000_000_000L;
    /** 256 MiB of burst: 2.1e18 credits, leaves room for one packet of debt below zero. */
    public static final long MAX_BURST_BYTES = 256L * 1024 * 1024;
    /** The largest packet any bucket accepts (a 64 KiB GSO super-packet), bounds the debt below zero. */
    public static final int MAX_PACKET_BYTES = 65_536;

    private long rateBps;
    private long burstCredits;
    /** Past this much idle time the bucket is full whatever its level; below it {@code dt * rate} cannot overflow. */
    private long fillNanos;
    private long credits;
    private long lastNanos;

    /** A full bucket at {@code nowNanos}: an idle bucket passes {@code burstBytes} at once. */
    public TokenBucket(long rateBps, long burstBytes, long nowNanos) {
        validate(rateBps, burstBytes);
        this.rateBps = rateBps;
        this.burstCredits = burstBytes * CREDITS_PER_BYTE;
        this.credits = burstCredits;
        this.lastNanos = nowNanos;
        this.fillNanos = fillNanos(rateBps, burstCredits);
    }

    /** Time to fill from the lowest possible level (one maximal packet of debt); computed once, not per packet. */
    private static long fillNanos(long rateBps, long burstCredits) {
        return (burstCredits + MAX_PACKET_BYTES * CREDITS_PER_BYTE) / rateBps + 1;
    }

    static void validate(long rateBps, long burstBytes) {
        if (rateBps < 1 || rateBps > MAX_RATE_BPS) {
            throw new IllegalArgumentException("rate must be 1.." + MAX_RATE_BPS + " bit/s, got " + rateBps);
        }
        if (burstBytes < 1 || burstBytes > MAX_BURST_BYTES) {
            throw new IllegalArgumentException("burst must be 1.." + MAX_BURST_BYTES + " bytes, got " + burstBytes);
        }
    }

    /** Adds the credits earned since the last call; time never runs backwards here (an older {@code now} is ignored). */
    public void refill(long nowNanos) {
        long dt = nowNanos - lastNanos;
        if (dt <= 0) {
            return;
        }
        lastNanos = nowNanos;
        if (credits >= burstCredits) {
            return;
        }
        // dt * rate would overflow for long idle periods at high rates; past the fill time the bucket is full anyway
        if (dt >= fillNanos) {
            credits = burstCredits;
        } else {
            credits = Math.min(burstCredits, credits + dt * rateBps);
        }
    }

    /** True when the bucket holds at least {@code bytes} worth of credits (tbf's conformance test). */
    public boolean covers(int bytes) {
        return credits >= bytes * CREDITS_PER_BYTE;
    }

    /** True when the level is not negative (HTB's "may send" test). */
    public boolean nonNegative() {
        return credits >= 0;
    }

    /** Takes {@code bytes} worth of credits; may go below zero (HTB semantics). */
    public void charge(int bytes) {
        credits -= bytes * CREDITS_PER_BYTE;
    }

    /** Nanoseconds from the last refill until the level reaches {@code bytes} worth of credits; 0 if already there. */
    public long nanosUntilCovers(int bytes) {
        return nanosUntilCredits(bytes * CREDITS_PER_BYTE);
    }

    /** Nanoseconds from the last refill until the level is at least zero; 0 if already there. */
    public long nanosUntilNonNegative() {
        return nanosUntilCredits(0);
    }

    private long nanosUntilCredits(long target) {
        long missing = target - credits;
        if (missing <= 0) {
            return 0;
        }
        return (missing + rateBps - 1) / rateBps; // ceil: at that instant the refill covers the target exactly
    }

    /** The nanosecond of the last refill: {@link #nanosUntilCovers} counts from here. */
    public long lastNanos() {
        return lastNanos;
    }

    /**
     * CoA: from {@code nowNanos} on the bucket fills at the new rate and holds at most the new burst. Credits earned
     * until now are kept (at the old rate), so a change never creates or forgets a burst.
     */
    public void setRate(long newRateBps, long newBurstBytes, long nowNanos) {
        validate(newRateBps, newBurstBytes);
        refill(nowNanos);
        this.rateBps = newRateBps;
        this.burstCredits = newBurstBytes * CREDITS_PER_BYTE;
        this.fillNanos = fillNanos(newRateBps, burstCredits);
        if (credits > burstCredits) {
            credits = burstCredits;
        }
    }

    public long rateBps() {
        return rateBps;
    }

    public long burstBytes() {
        return burstCredits / CREDITS_PER_BYTE;
    }

    /** Current level in whole bytes (rounded towards zero); for tests and counters. */
    public long levelBytes() {
        return credits / CREDITS_PER_BYTE;
    }
}
