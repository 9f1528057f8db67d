package net.tinyisp.shaping;

/**
 * CoDel's two knobs (RFC 8289 §4.3, §4.4; defaults 5 ms and 100 ms) and the adjustment for slow links: when one
 * MTU takes longer than the target to serialise at the subscriber's guaranteed rate, every packet would look late,
 * so the target is raised to 1.5 MTU times and the interval by as much (the rule sch_cake uses in
 * {@code cake_set_rate}; plain fq_codel leaves this to the operator, RFC 8290 §5.2.3 warns about it).
 */
record CodelParameters(long targetNanos, long intervalNanos) {

    static CodelParameters forRate(long configuredTargetNanos, long configuredIntervalNanos, long rateBps,
                                   int mtuBytes) {
        long mtuNanos = (long) (mtuBytes * 8e9 / rateBps);
        long target = Math.max(configuredTargetNanos, mtuNanos * 3 / 2);
        long interval = Math.max(configuredIntervalNanos + target - configuredTargetNanos, 2 * target);
        return new CodelParameters(target, interval);
    }

    /** RFC 8289 §5.4 control law: the next drop comes interval/sqrt(count) after {@code t}. */
    long controlLaw(long t, int count) {
        return t + (long) (intervalNanos / Math.sqrt(count));
    }
}
