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
 *       served, and they charge {@code ceil} but not {@code rate} (like HTB's borrowing, the lender pays). Among
 *       YELLOW classes the one with the smallest start tag over borrowed bytes goes first (start-time fair queueing,
 *       Goyal et al. 1996), so the idle remainder of the uplink is split in equal bytes among the borrowers until
 *       each reaches its ceiling (max-min fairness). Unlike HTB's DRR over borrowers, the tags survive a class
 *       flipping between GREEN and YELLOW, which would otherwise cost a high-rate class its share of the excess.
 *   <li>YELLOW and RED classes wait in a min-heap keyed by the nanosecond their colour improves; each call first
 *       promotes the classes whose time has come. A GREEN class only becomes non-GREEN by sending, so idle classes
 *       cost nothing and a call does O(log n) work for n backlogged classes.
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
    private final boolean[] inGreen;
    private final long[] finishTag;
    private final int[] ringNext;
    private final int[] ringPrev;
    private final int[] deficit;
    private final long[] sentBytes;
    private final long[] sentPackets;
    private final long[] borrowedBytes;
    private final long[] droppedPackets;
    private final ClassHeap waiting;
    private final ClassHeap borrowers;
    private int greenCursor = NIL;
    private long virtualTime;
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
        inGreen = new boolean[n];
        finishTag = new long[n];
        borrowers = new ClassHeap(n);
        ringNext = new int[n];
        ringPrev = new int[n];
        deficit = new int[n];
        sentBytes = new long[n];
        sentPackets = new long[n];
        borrowedBytes = new long[n];
        droppedPackets = new long[n];
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
        sentBytes[id] = 0;
        sentPackets[id] = 0;
        borrowedBytes[id] = 0;
        droppedPackets[id] = 0;
        finishTag[id] = virtualTime;
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

    /** Session end: every queued packet of the class is dropped as {@link DropReason#CLASS_REMOVED}. */
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
            deficit[classId] = config.quantumBytes();
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
        while (greenCursor != NIL) {
            int id = greenCursor;
            int slot = queues[id].dequeue(nowNanos);
            if (slot == PacketSlots.NIL) {
                goIdle(id); // CoDel dropped the rest of its backlog
                continue;
            }
            int len = slots.length(slot);
            rateBucket[id].refill(nowNanos);
            rateBucket[id].charge(len);
            // DRR as in HTB: serve a class while its deficit lasts, then top it up and move on
            deficit[id] -= len;
            if (deficit[id] < 0) {
                deficit[id] += config.quantumBytes();
                greenCursor = ringNext[id];
            }
            return sent(id, slot, len, nowNanos);
        }
        while (!borrowers.isEmpty()) {
            int id = borrowers.peek();
            long start = borrowers.peekKey();
            int slot = queues[id].dequeue(nowNanos);
            if (slot == PacketSlots.NIL) {
                goIdle(id);
                continue;
            }
            int len = slots.length(slot);
            borrowedBytes[id] += len;
            // start-time fair queueing over borrowed bytes: virtual time is the start tag in service
            virtualTime = start;
            finishTag[id] = start + len;
            borrowers.put(id, finishTag[id]);
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
        sentBytes[id] += len;
        sentPackets[id]++;
        if (queues[id].isEmpty()) {
            goIdle(id);
        } else {
            place(id, nowNanos);
        }
        lastClass = id;
        lastLength = len;
        return handle;
    }

    private void goIdle(int id) {
        leaveGreen(id);
        borrowers.remove(id);
        waiting.remove(id);
    }

    /**
     * The earliest nanosecond at which {@link #dequeue} may return a packet: {@code Long.MAX_VALUE} when nothing is
     * queued. Valid until the next call that changes the shaper.
     */
    public long nextEventNanos() {
        long ready;
        if (greenCursor != NIL || !borrowers.isEmpty()) {
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

    /** Recomputes the colour of a backlogged class and puts it in the matching ring and/or the wait heap. */
    private void place(int id, long nowNanos) {
        TokenBucket rate = rateBucket[id];
        TokenBucket ceil = ceilBucket[id];
        rate.refill(nowNanos);
        ceil.refill(nowNanos);
        if (!ceil.nonNegative()) {
            leaveGreen(id);
            borrowers.remove(id);
            waiting.put(id, ceil.lastNanos() + ceil.nanosUntilNonNegative());
        } else if (!rate.nonNegative()) {
            leaveGreen(id);
            if (!borrowers.contains(id)) {
                // SFQ: a class (re)joining the borrowers starts at the current virtual time, or later if it
                // borrowed recently, so time spent GREEN neither earns nor costs it a share of the excess
                borrowers.put(id, Math.max(finishTag[id], virtualTime));
            }
            waiting.put(id, rate.lastNanos() + rate.nanosUntilNonNegative());
        } else {
            borrowers.remove(id);
            joinGreen(id);
            waiting.remove(id);
        }
    }

    private void joinGreen(int id) {
        if (inGreen[id]) {
            return;
        }
        inGreen[id] = true;
        int cursor = greenCursor;
        if (cursor == NIL) {
            ringNext[id] = id;
            ringPrev[id] = id;
            greenCursor = id;
        } else {
            // insert just before the cursor: the newcomer is served last in this round
            int prev = ringPrev[cursor];
            ringNext[prev] = id;
            ringPrev[id] = prev;
            ringNext[id] = cursor;
            ringPrev[cursor] = id;
        }
    }

    private void leaveGreen(int id) {
        if (!inGreen[id]) {
            return;
        }
        inGreen[id] = false;
        int next = ringNext[id];
        if (next == id) {
            greenCursor = NIL;
            return;
        }
        int prev = ringPrev[id];
        ringNext[prev] = next;
        ringPrev[next] = prev;
        if (greenCursor == id) {
            greenCursor = next;
        }
    }

    private void onDrop(int id, int handle, int lengthBytes, DropReason reason) {
        count(reason);
        droppedPackets[id]++;
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
        return sentBytes[id];
    }

    public long sentPackets(int id) {
        return sentPackets[id];
    }

    /** Bytes the class sent above its guaranteed rate, borrowed from idle uplink capacity. */
    public long borrowedBytes(int id) {
        return borrowedBytes[id];
    }

    public long droppedPackets(int id) {
        return droppedPackets[id];
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
