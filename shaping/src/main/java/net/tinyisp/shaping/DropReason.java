package net.tinyisp.shaping;

/**
 * Why the shaping module dropped (or refused) a packet. The data plane exports one counter per constant as
 * {@code tinyisp_shaping_drops_total{reason="<label>"}}; the label and description live here so the metric and
 * its help text are never kept in two places.
 */
public enum DropReason {
    /** tbf: the queue already holds {@code limit} bytes (tc-tbf(8) "limit"/"latency"). */
    QUEUE_FULL("queue_full", "the token bucket shaper's queue was at its byte or packet limit"),
    /** tbf drops a packet bigger than the bucket: it could never conform. */
    LARGER_THAN_BURST("larger_than_burst", "packet larger than the bucket (burst) or than 64 KiB; it could never be sent"),
    /** RFC 8289: CoDel dropped at dequeue because the flow's sojourn time stayed above target for an interval. */
    CODEL("codel", "CoDel dropped a packet whose queue had stayed above the target delay for an interval"),
    /** RFC 8290 §4.1: the subscriber's queues were full; fq_codel drops from the head of its fattest flow. */
    OVERLIMIT("overlimit", "the subscriber's queues were at their limit; dropped from the head of its fattest flow"),
    /** The shared packet-slot pool of the hierarchical shaper was exhausted; the arriving packet was refused. */
    POOL_EXHAUSTED("pool_exhausted", "no free packet slot in the hierarchical shaper; the arriving packet was refused"),
    /** The subscriber class was removed (session ended) with packets still queued. */
    CLASS_REMOVED("class_removed", "packet still queued when its subscriber class was removed"),
    /** The caller named a class that does not exist (session already gone). */
    NO_SUCH_CLASS("no_such_class", "packet addressed to a subscriber class that does not exist"),
    /** The policer found the packet out of profile (upload above the subscriber's rate). */
    POLICED("policed", "packet exceeded the policer's rate and burst");

    private final String label;
    private final String description;

    DropReason(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** The {@code reason} label value of {@code tinyisp_shaping_drops_total}. */
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** The metric name the data plane registers, one series per reason. */
    public static final String METRIC = "tinyisp_shaping_drops_total";
}
