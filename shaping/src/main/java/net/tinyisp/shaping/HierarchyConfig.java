package net.tinyisp.shaping;

/**
 * Sizing and knobs of a {@link HierarchicalShaper}; zero (or absent in YAML) means the default given per
 * component. Rates in bit/s, sizes in bytes or packets, times in nanoseconds.
 *
 * @param uplinkBps root capacity: the uplink the subscribers share (required)
 * @param uplinkBurstBytes root bucket; default 1 ms at the uplink rate plus one frame
 * @param maxClasses subscriber classes preallocated (default 10,000)
 * @param packetSlots packets queued across all subscribers (default 65,536)
 * @param flowsPerClass fq_codel flow queues per subscriber (default 64; RFC 8290 uses 1024 for a whole link)
 * @param classLimitPackets packets one subscriber may queue before overlimit drops (default 1,000)
 * @param quantumBytes DRR quantum between flows and between GREEN subscribers (default 1514, RFC 8290 §5.2.2)
 * @param mtuBytes largest frame, for CoDel's one-MTU rule and target adjustment (default 1514)
 * @param codelTargetNanos CoDel target (default 5 ms, RFC 8289 §4.4)
 * @param codelIntervalNanos CoDel interval (default 100 ms, RFC 8289 §4.3)
 */
public record HierarchyConfig(
        long uplinkBps,
        long uplinkBurstBytes,
        int maxClasses,
        int packetSlots,
        int flowsPerClass,
        int classLimitPackets,
        int quantumBytes,
        int mtuBytes,
        long codelTargetNanos,
        long codelIntervalNanos) {

    public HierarchyConfig {
        if (uplinkBps < 1 || uplinkBps > TokenBucket.MAX_RATE_BPS) {
            throw new IllegalArgumentException("uplink must be 1.." + TokenBucket.MAX_RATE_BPS + " bit/s, got " + uplinkBps);
        }
        uplinkBurstBytes = uplinkBurstBytes == 0 ? SubscriberPlan.defaultBurst(uplinkBps) : uplinkBurstBytes;
        maxClasses = orDefault(maxClasses, 10_000, "maxClasses");
        packetSlots = orDefault(packetSlots, 65_536, "packetSlots");
        flowsPerClass = orDefault(flowsPerClass, 64, "flowsPerClass");
        classLimitPackets = orDefault(classLimitPackets, 1_000, "classLimitPackets");
        quantumBytes = orDefault(quantumBytes, 1514, "quantumBytes");
        mtuBytes = orDefault(mtuBytes, 1514, "mtuBytes");
        codelTargetNanos = codelTargetNanos == 0 ? 5_000_000L : codelTargetNanos;
        codelIntervalNanos = codelIntervalNanos == 0 ? 100_000_000L : codelIntervalNanos;
        if (codelTargetNanos < 0 || codelIntervalNanos < codelTargetNanos) {
            throw new IllegalArgumentException("CoDel needs 0 < target <= interval, got target " + codelTargetNanos
                    + " ns, interval " + codelIntervalNanos + " ns");
        }
        TokenBucket.validate(uplinkBps, uplinkBurstBytes);
    }

    /** Defaults for everything but the uplink. */
    public static HierarchyConfig forUplink(long uplinkBps) {
        return new HierarchyConfig(uplinkBps, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public HierarchyConfig withMaxClasses(int n) {
        return new HierarchyConfig(uplinkBps, uplinkBurstBytes, n, packetSlots, flowsPerClass, classLimitPackets,
                quantumBytes, mtuBytes, codelTargetNanos, codelIntervalNanos);
    }

    public HierarchyConfig withPacketSlots(int n) {
        return new HierarchyConfig(uplinkBps, uplinkBurstBytes, maxClasses, n, flowsPerClass, classLimitPackets,
                quantumBytes, mtuBytes, codelTargetNanos, codelIntervalNanos);
    }

    public HierarchyConfig withFlowsPerClass(int n) {
        return new HierarchyConfig(uplinkBps, uplinkBurstBytes, maxClasses, packetSlots, n, classLimitPackets,
                quantumBytes, mtuBytes, codelTargetNanos, codelIntervalNanos);
    }

    public HierarchyConfig withClassLimitPackets(int n) {
        return new HierarchyConfig(uplinkBps, uplinkBurstBytes, maxClasses, packetSlots, flowsPerClass, n,
                quantumBytes, mtuBytes, codelTargetNanos, codelIntervalNanos);
    }

    private static int orDefault(int value, int dflt, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return value == 0 ? dflt : value;
    }
}
