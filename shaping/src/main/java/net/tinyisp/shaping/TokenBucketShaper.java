package net.tinyisp.shaping;

/**
 * One session's download shaper with tc-tbf(8) semantics: a bucket of {@code burst} bytes filling at {@code rate},
 * and a FIFO queue in front of it bounded by {@code limit} bytes; a packet leaves when the bucket holds its whole
 * length. An idle bucket is full, so after idling the first {@code burst} bytes pass at line rate.
 *
 * <p>Packets are int handles chosen by the caller (an index into its own buffer pool), with their length; the
 * queue is a preallocated ring of handles and lengths, so enqueue and dequeue allocate nothing. The clock is the
 * caller's: every call takes {@code nowNanos} (monotonic, e.g. {@code System.nanoTime()} in the data plane,
 * simulated in tests). Not thread-safe: one data-plane thread owns a shaper.
 */
public final class TokenBucketShaper {

    /** Returned by {@link #dequeue} when no packet may leave now. */
    public static final int NONE = -1;

    private final TokenBucket bucket;
    private final int[] handles;
    private final int[] lengths;
    private int head;
    private int count;
    private long queuedBytes;
    private long limitBytes;
    private final DropListener drops;

    private long sentPackets;
    private long sentBytes;
    private final long[] dropCounts = new long[DropReason.values().length];

    /**
     * @param rateBps bit/s
     * @param burstBytes bucket size in bytes (tbf "burst"/"buffer"); must hold at least one full packet
     * @param limitBytes queue limit in bytes (tbf "limit"); see {@link #limitForLatency} for tbf's "latency" form
     * @param maxPackets capacity of the preallocated ring (packets)
     */
    public TokenBucketShaper(long rateBps, long burstBytes, long limitBytes, int maxPackets, long nowNanos,
                             DropListener drops) {
        if (maxPackets < 1) {
            throw new IllegalArgumentException("maxPackets must be at least 1, got " + maxPackets);
        }
        if (limitBytes < 1) {
            throw new IllegalArgumentException("limit must be at least 1 byte, got " + limitBytes);
        }
        this.bucket = new TokenBucket(rateBps, burstBytes, nowNanos);
        this.handles = new int[maxPackets];
        this.lengths = new int[maxPackets];
        this.limitBytes = limitBytes;
        this.drops = drops;
    }

    /**
     * tc-tbf(8): "latency: the maximum amount of time a packet can sit in the TBF"; tc turns it into
     * {@code limit = rate * latency + burst}, and so does this.
     */
    public static long limitForLatency(long rateBps, long burstBytes, long latencyNanos) {
        long queued = (long) ((double) rateBps * latencyNanos / 8e9);
        return queued + burstBytes;
    }

    /**
     * Queues a packet; returns false (and tells the drop listener) when it was refused: queue full, or larger than
     * the bucket so it could never leave.
     */
    public boolean enqueue(int handle, int lengthBytes, long nowNanos) {
        if (lengthBytes > bucket.burstBytes() || lengthBytes > TokenBucket.MAX_PACKET_BYTES || lengthBytes < 1) {
            return refuse(handle, lengthBytes, DropReason.LARGER_THAN_BURST);
        }
        if (count == handles.length || queuedBytes + lengthBytes > limitBytes) {
            return refuse(handle, lengthBytes, DropReason.QUEUE_FULL);
        }
        int tail = head + count;
        if (tail >= handles.length) {
            tail -= handles.length;
        }
        handles[tail] = handle;
        lengths[tail] = lengthBytes;
        count++;
        queuedBytes += lengthBytes;
        return true;
    }

    private boolean refuse(int handle, int lengthBytes, DropReason reason) {
        dropCounts[reason.ordinal()]++;
        drops.dropped(handle, lengthBytes, reason);
        return false;
    }

    /** The handle of the packet that may leave now, or {@link #NONE}. Call repeatedly until NONE. */
    public int dequeue(long nowNanos) {
        if (count == 0) {
            bucket.refill(nowNanos);
            return NONE;
        }
        bucket.refill(nowNanos);
        // a CoA may have shrunk the burst below packets already queued: they could never conform, drop them as
        // tbf would have at enqueue, instead of blocking the queue for ever
        while (count > 0 && lengths[head] > bucket.burstBytes()) {
            int len = lengths[head];
            int handle = pop(len);
            refuse(handle, len, DropReason.LARGER_THAN_BURST);
        }
        if (count == 0) {
            return NONE;
        }
        int len = lengths[head];
        if (!bucket.covers(len)) {
            return NONE;
        }
        bucket.charge(len);
        sentPackets++;
        sentBytes += len;
        return pop(len);
    }

    private int pop(int len) {
        int handle = handles[head];
        head = head + 1 == handles.length ? 0 : head + 1;
        count--;
        queuedBytes -= len;
        return handle;
    }

    /**
     * When the head packet will conform ({@code Long.MAX_VALUE} when the queue is empty): the data plane arms its
     * timer for this instant. Valid until the next enqueue, dequeue or {@link #setRate}.
     */
    public long nextEventNanos() {
        if (count == 0) {
            return Long.MAX_VALUE;
        }
        if (lengths[head] > bucket.burstBytes()) {
            return bucket.lastNanos(); // dequeue drops it at once
        }
        return bucket.lastNanos() + bucket.nanosUntilCovers(lengths[head]);
    }

    /**
     * CoA: the new rate and burst apply from {@code nowNanos}; queued packets stay queued and leave at the new rate.
     * A smaller limit does not drop what is already queued, it only refuses new packets until the queue drains.
     */
    public void setRate(long rateBps, long burstBytes, long limitBytes, long nowNanos) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("limit must be at least 1 byte, got " + limitBytes);
        }
        bucket.setRate(rateBps, burstBytes, nowNanos);
        this.limitBytes = limitBytes;
    }

    public long rateBps() {
        return bucket.rateBps();
    }

    public long burstBytes() {
        return bucket.burstBytes();
    }

    public int queuedPackets() {
        return count;
    }

    public long queuedBytes() {
        return queuedBytes;
    }

    public long sentPackets() {
        return sentPackets;
    }

    public long sentBytes() {
        return sentBytes;
    }

    public long drops(DropReason reason) {
        return dropCounts[reason.ordinal()];
    }
}
