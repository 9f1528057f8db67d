package net.tinyisp.shaping;

/**
 * The download scheduler of one uplink: a root with the uplink's capacity, one class per subscriber with a
 * guaranteed rate and a ceiling, and fq_codel inside each class. The algorithm (HTB's three colours with deficit
 * round robin, and a worked example) is in the module README; in short:
 *
 * <ul>
 *   <li>Each class has two token buckets: {@code rate} (guaranteed) and {@code ceil}. Its colour is GREEN when both
 *       are non-negative, YELLOW when only {@code ceil} is (it may borrow), RED when {@code ceil} is negative. As
 *       in HTB, a packet is sent when the bucket is non-negative and may overdraw it; the debt delays the next.
 *   <li>A packet may leave only when the root bucket (the uplink) is non-negative. GREEN classes are served first,
 *       by DRR among them, and charge both their buckets; only when no GREEN class is backlogged are YELLOW classes
 *       served, and they charge {@code ceil} but not {@code rate} (like HTB's borrowing, the lender pays). YELLOW
 *       classes take turns by DRR over borrowed bytes, so the idle remainder of the uplink is split in equal bytes
 *       among the borrowers until each reaches its ceiling (max-min fairness). Unlike HTB's DRR over borrowers, a
 *       class keeps its place in the borrowers' ring while it flips between GREEN and YELLOW, which would otherwise
 *       cost a high-rate class its share of the excess.
 *   <li>YELLOW and RED classes wait in a min-heap keyed by the nanosecond their colour improves; each call first
 *       promotes the classes whose time has come. A GREEN class only becomes non-GREEN by sending, so idle classes
 *       cost nothing; both rings are O(1) per packet and the wait heap (4-ary) O(log n) for n backlogged classes.
 * </ul>
 *
 * <p>Packets are the caller's int handles (an index into its buffer pool) with their lengths; they are held in
 * {@link PacketSlots} preallocated for {@link HierarchyConfig#packetSlots()}, and no per-packet call allocates.
 * Adding a class allocates its buckets and flow arrays (once per session, not per packet). The clock is the
 * caller's {@code nowNanos}, monotonic. Not thread-safe: one data-plane thread owns a shaper.
 */
public final class HierarchicalShaper {

    /** Returned by {@link #dequeue} when no packet may leave now. */
    public static final int NONE = -1;

    private static final int NIL = -1;

    private final HierarchyConfig config;
    private final PacketSlots slots;
    private final DropListener listener;
    private final TokenBucket root;

    // per class, indexed by class id
    private final SubscriberPlan[] plan;
    private final TokenBucket[] rateBucket;
    private final TokenBucket[] ceilBucket;
    private final FlowQueues[] queues;
    // per class scalars side by side (one int stride, one long stride): with 10,000 busy subscribers every packet
    // belongs to a different class, and each separate array would be one more cache miss. Each class can be in two
    // DRR rings, GREEN and BORROW; a ring's links, deficit and membership flag sit at RING_BASE[ring] + field.
    private static final int GREEN = 0;
    private static final int BORROW = 1;
    private static final int NEXT = 0;
    private static final int PREV = 1;
    private static final int DEFICIT = 2;
    private static final int MEMBER = 3;
    private static final int[] RING_BASE = {0, 4};
    private static final int IS = 8;
    private static final int SENT_BYTES = 0;
    private static final int SENT_PACKETS = 1;
    private static final int BORROWED_BYTES = 2;
    private static final int DROPPED_PACKETS = 3;
    private static final int LS = 4;
    private final int[] is;
    private final long[] ls;
    private final ClassHeap waiting;
    private final int[] cursor = {NIL, NIL};
    private final int[] freeIds;
    private int freeCount;

    private final long[] dropCounts = new long[DropReason.values().length];
    private long lastNow = Long.MIN_VALUE;
    private int lastClass = NIL;
    private int lastLength;

    public HierarchicalShaper(HierarchyConfig config, long nowNanos, DropListener listener) {
        this.config = config;
        this.listener = listener;
        this.slots = new PacketSlots(config.packetSlots());
        this.root = new TokenBucket(config.uplinkBps(), config.uplinkBurstBytes(), nowNanos);
        int n = config.maxClasses();
        plan = new SubscriberPlan[n];
        rateBucket = new TokenBucket[n];
        ceilBucket = new TokenBucket[n];
        queues = new FlowQueues[n];
        is = new int[n * IS];
        ls = new long[n * LS];
        waiting = new ClassHeap(n);
        freeIds = new int[n];
        for (int i = 0; i < n; i++) {
            freeIds[i] = n - 1 - i; // hand out 0, 1, 2, ... first
        }
        freeCount = n;
        lastNow = nowNanos;
    }

    // ---- classes (per session, at session start, CoA and session end) ----

    /** A new subscriber class with full buckets; returns its id for {@link #enqueue}. */
    public int addClass(SubscriberPlan p, long nowNanos) {
        if (freeCount == 0) {
            throw new IllegalStateException("all " + config.maxClasses() + " subscriber classes are in use");
        }
        int id = freeIds[--freeCount];
        plan[id] = p;
        rateBucket[id] = new TokenBucket(p.rateBps(), p.burstBytes(), nowNanos);
        ceilBucket[id] = new TokenBucket(p.ceilBps(), p.ceilBurstBytes(), nowNanos);
        queues[id] = new FlowQueues(slots, config.flowsPerClass(), config.quantumBytes(), config.mtuBytes(),
                config.classLimitPackets(), codelFor(p), (h, len, reason) -> onDrop(id, h, len, reason));
        java.util.Arrays.fill(ls, id * LS, id * LS + LS, 0L);
        java.util.Arrays.fill(is, id * IS, id * IS + IS, 0);
        return id;
    }

    /**
     * CoA: the new plan applies from {@code nowNanos}; queued packets stay queued. Tokens earned so far are kept
     * (capped at the new bursts) and the class's colour is re-evaluated at once.
     */
    public void updateClass(int id, SubscriberPlan p, long nowNanos) {
        requireClass(id);
        plan[id] = p;
        rateBucket[id].setRate(p.rateBps(), p.burstBytes(), nowNanos);
        ceilBucket[id].setRate(p.ceilBps(), p.ceilBurstBytes(), nowNanos);
        queues[id].setCodel(codelFor(p));
        if (!queues[id].isEmpty()) {
            place(id, nowNanos);
        }
    }

    /**
     * Session end: every queued packet of the class is dropped as {@link DropReason#CLASS_REMOVED}. The id goes back
     * to the free list and the next {@link #addClass} may hand it out again, so the caller must forget it first.
     */
    public void removeClass(int id, long nowNanos) {
        requireClass(id);
        goIdle(id);
        queues[id].dropAll(DropReason.CLASS_REMOVED);
        plan[id] = null;
        rateBucket[id] = null;
        ceilBucket[id] = null;
        queues[id] = null;
        freeIds[freeCount++] = id;
    }

    /** The uplink's capacity changed (e.g. a degraded backhaul): applies from {@code nowNanos}. */
    public void setUplink(long uplinkBps, long burstBytes, long nowNanos) {
        root.setRate(uplinkBps, burstBytes, nowNanos);
    }

    private CodelParameters codelFor(SubscriberPlan p) {
        return CodelParameters.forRate(config.codelTargetNanos(), config.codelIntervalNanos(), p.rateBps(),
                config.mtuBytes());
    }

    private void requireClass(int id) {
        if (id < 0 || id >= plan.length || plan[id] == null) {
            throw new IllegalArgumentException("no subscriber class " + id);
        }
    }

    // ---- per packet ----

    /**
     * Queues a packet of class {@code classId} in the flow queue {@code flowHash} selects (the caller's hash of the
     * 5-tuple). Returns false when this packet was dropped or refused; every drop, of this packet or of another
     * one (overlimit takes the fattest flow's head), goes to the drop listener.
     */
    public boolean enqueue(int classId, int flowHash, int handle, int lengthBytes, long nowNanos) {
        if (classId < 0 || classId >= plan.length || plan[classId] == null) {
            count(DropReason.NO_SUCH_CLASS);
            listener.dropped(handle, lengthBytes, DropReason.NO_SUCH_CLASS);
            return false;
        }
        if (lengthBytes < 1 || lengthBytes > TokenBucket.MAX_PACKET_BYTES) {
            onDrop(classId, handle, lengthBytes, DropReason.LARGER_THAN_BURST);
            return false;
        }
        lastNow = Math.max(lastNow, nowNanos);
        FlowQueues q = queues[classId];
        boolean wasIdle = q.isEmpty();
        boolean queued = q.enqueue(flowHash, handle, lengthBytes, nowNanos);
        if (wasIdle && !q.isEmpty()) {
            place(classId, nowNanos);
        }
        return queued;
    }

    /**
     * The handle of the next packet to put on the wire now, or {@link #NONE}; call until NONE, then arm a timer
     * for {@link #nextEventNanos()}. {@link #lastClass()} and {@link #lastLength()} describe the returned packet.
     */
    public int dequeue(long nowNanos) {
        lastNow = Math.max(lastNow, nowNanos);
        promote(nowNanos);
        root.refill(nowNanos);
        if (!root.nonNegative()) {
            return NONE;
        }
        while (cursor[GREEN] != NIL) {
            int id = cursor[GREEN];
            int slot = queues[id].dequeue(nowNanos);
            if (slot == PacketSlots.NIL) {
                goIdle(id); // CoDel dropped the rest of its backlog
                continue;
            }
            int len = slots.length(slot);
            rateBucket[id].refill(nowNanos);
            rateBucket[id].charge(len);
            takeTurn(GREEN, id, len);
            return sent(id, slot, len, nowNanos);
        }
        // no class has guaranteed rate left: every member of the BORROW ring is YELLOW now (promote ran above)
        while (cursor[BORROW] != NIL) {
            int id = cursor[BORROW];
            int slot = queues[id].dequeue(nowNanos);
            if (slot == PacketSlots.NIL) {
                goIdle(id);
                continue;
            }
            int len = slots.length(slot);
            ls[id * LS + BORROWED_BYTES] += len;
            takeTurn(BORROW, id, len);
            return sent(id, slot, len, nowNanos);
        }
        return NONE;
    }

    /** Charges the uplink and the ceiling for a packet leaving {@code id}, and re-files the class. */
    private int sent(int id, int slot, int len, long nowNanos) {
        int handle = slots.handle(slot);
        slots.release(slot);
        root.charge(len);
        ceilBucket[id].refill(nowNanos);
        ceilBucket[id].charge(len);
        ls[id * LS + SENT_BYTES] += len;
        ls[id * LS + SENT_PACKETS]++;
        if (queues[id].isEmpty()) {
            goIdle(id);
        } else {
            place(id, nowNanos);
        }
        lastClass = id;
        lastLength = len;
        return handle;
    }

    /** DRR as in HTB: a class keeps the turn while its deficit lasts, then is topped up and the cursor moves on. */
    private void takeTurn(int ring, int id, int len) {
        int d = id * IS + RING_BASE[ring] + DEFICIT;
        is[d] -= len;
        if (is[d] < 0) {
            is[d] += config.quantumBytes();
            cursor[ring] = is[id * IS + RING_BASE[ring] + NEXT];
        }
    }

    private void goIdle(int id) {
        leave(GREEN, id);
        leave(BORROW, id);
        waiting.remove(id);
    }

    /**
     * The earliest nanosecond at which {@link #dequeue} may return a packet: {@code Long.MAX_VALUE} when nothing is
     * queued. Valid until the next call that changes the shaper.
     */
    public long nextEventNanos() {
        long ready;
        if (cursor[GREEN] != NIL || cursor[BORROW] != NIL) {
            ready = lastNow;
        } else if (!waiting.isEmpty()) {
            ready = waiting.peekKey();
        } else {
            return Long.MAX_VALUE;
        }
        long rootReady = root.lastNanos() + root.nanosUntilNonNegative();
        return Math.max(ready, rootReady);
    }

    private void promote(long nowNanos) {
        while (!waiting.isEmpty() && waiting.peekKey() <= nowNanos) {
            place(waiting.peek(), nowNanos);
        }
    }

    /**
     * Recomputes the colour of a backlogged class and puts it in the matching rings and/or the wait heap. A class
     * stays in the BORROW ring while it is GREEN or YELLOW, and leaves it only when RED or idle: a class with a high
     * guaranteed rate flips between GREEN and YELLOW every packet, and rejoining at the back each time would cost it
     * its turns, so it would get less than its share of the excess (HTB's DRR over borrowers has that flaw).
     */
    private void place(int id, long nowNanos) {
        TokenBucket rate = rateBucket[id];
        TokenBucket ceil = ceilBucket[id];
        rate.refill(nowNanos);
        ceil.refill(nowNanos);
        if (!ceil.nonNegative()) {
            leave(GREEN, id);
            leave(BORROW, id);
            waiting.put(id, ceil.lastNanos() + ceil.nanosUntilNonNegative());
        } else if (!rate.nonNegative()) {
            leave(GREEN, id);
            join(BORROW, id);
            waiting.put(id, rate.lastNanos() + rate.nanosUntilNonNegative());
        } else {
            join(GREEN, id);
            join(BORROW, id);
            waiting.remove(id);
        }
    }

    /** Joins a ring just before its cursor, with a full quantum: the newcomer is served last in this round. */
    private void join(int ring, int id) {
        int base = id * IS + RING_BASE[ring];
        if (is[base + MEMBER] != 0) {
            return;
        }
        is[base + MEMBER] = 1;
        is[base + DEFICIT] = config.quantumBytes();
        int c = cursor[ring];
        if (c == NIL) {
            is[base + NEXT] = id;
            is[base + PREV] = id;
            cursor[ring] = id;
        } else {
            int cb = c * IS + RING_BASE[ring];
            int prev = is[cb + PREV];
            is[prev * IS + RING_BASE[ring] + NEXT] = id;
            is[base + PREV] = prev;
            is[base + NEXT] = c;
            is[cb + PREV] = id;
        }
    }

    private void leave(int ring, int id) {
        int base = id * IS + RING_BASE[ring];
        if (is[base + MEMBER] == 0) {
            return;
        }
        is[base + MEMBER] = 0;
        int next = is[base + NEXT];
        if (next == id) {
            cursor[ring] = NIL;
            return;
        }
        int prev = is[base + PREV];
        is[prev * IS + RING_BASE[ring] + NEXT] = next;
        is[next * IS + RING_BASE[ring] + PREV] = prev;
        if (cursor[ring] == id) {
            cursor[ring] = next;
        }
    }

    private void onDrop(int id, int handle, int lengthBytes, DropReason reason) {
        count(reason);
        ls[id * LS + DROPPED_PACKETS]++;
        listener.dropped(handle, lengthBytes, reason);
    }

    private void count(DropReason reason) {
        dropCounts[reason.ordinal()]++;
    }

    // ---- counters for the data plane's metrics and accounting ----

    /** The class of the packet the last successful {@link #dequeue} returned. */
    public int lastClass() {
        return lastClass;
    }

    /** The length of the packet the last successful {@link #dequeue} returned. */
    public int lastLength() {
        return lastLength;
    }

    public SubscriberPlan plan(int id) {
        requireClass(id);
        return plan[id];
    }

    public long sentBytes(int id) {
        return ls[id * LS + SENT_BYTES];
    }

    public long sentPackets(int id) {
        return ls[id * LS + SENT_PACKETS];
    }

    /** Bytes the class sent above its guaranteed rate, borrowed from idle uplink capacity. */
    public long borrowedBytes(int id) {
        return ls[id * LS + BORROWED_BYTES];
    }

    public long droppedPackets(int id) {
        return ls[id * LS + DROPPED_PACKETS];
    }

    public int queuedPackets(int id) {
        requireClass(id);
        return queues[id].packets();
    }

    public int queuedPackets() {
        return slots.used();
    }

    public long drops(DropReason reason) {
        return dropCounts[reason.ordinal()];
    }

    public int classCount() {
        return config.maxClasses() - freeCount;
    }

    /** Backlogged classes waiting for their buckets (not counting those ready to send). */
    public int waitingClasses() {
        return waiting.size();
    }

    public HierarchyConfig config() {
        return config;
    }
}
