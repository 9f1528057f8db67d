package net.tinyisp.shaping;

/**
 * fq_codel for one subscriber (RFC 8290): the caller's flow hash picks one of {@code flows} FIFO queues; a deficit
 * round robin over "new" and "old" flow lists serves them (§4.2), so a sparse flow (a call, DNS, a game) is sent
 * ahead of a bulk download; each queue runs CoDel on its sojourn time (RFC 8289), so the bulk flow's queue stays
 * short; when the subscriber's queues hit their limit, packets are dropped from the head of the fattest flow
 * (§4.1). All state is in arrays sized at construction; packets live in the shared {@link PacketSlots}.
 */
final class FlowQueues {

    private static final int NIL = PacketSlots.NIL;
    private static final long NOT_SET = Long.MIN_VALUE;
    private static final int IN_NONE = 0;
    private static final int IN_NEW = 1;
    private static final int IN_OLD = 2;

    private final PacketSlots slots;
    private final DropCounter drops;
    private final int quantum;
    private final int mtu;
    private final int limitPackets;
    private CodelParameters codel;

    // Per flow queue state, one stride of ints and one of longs per flow, so serving a flow touches one or two
    // cache lines instead of eleven arrays (this matters with 10,000 subscribers: every packet is a cache miss).
    private static final int HEAD = 0;
    private static final int TAIL = 1;
    private static final int BACKLOG = 2;
    private static final int DEFICIT = 3;
    private static final int LIST_NEXT = 4;
    private static final int LIST = 5;
    private static final int COUNT = 6;       // RFC 8289 §5 "count"
    private static final int LAST_COUNT = 7;  // RFC 8289 §5 "lastcount"
    private static final int DROPPING = 8;    // RFC 8289 §5 "dropping", 0 or 1
    private static final int S = 9;
    private static final int FIRST_ABOVE = 0; // RFC 8289 §5 "first_above_time"
    private static final int DROP_NEXT = 1;   // RFC 8289 §5 "drop_next"
    private static final int SL = 2;
    private final int flows;
    private final int[] st;
    private final long[] lt;

    private int newHead = NIL;
    private int newTail = NIL;
    private int oldHead = NIL;
    private int oldTail = NIL;
    private int packets;
    private long bytes;

    /** Receives every packet this subscriber's queues give up; implemented by the shaper that owns the counters. */
    interface DropCounter {
        void dropped(int handle, int lengthBytes, DropReason reason);
    }

    FlowQueues(PacketSlots slots, int flows, int quantum, int mtu, int limitPackets, CodelParameters codel,
               DropCounter drops) {
        this.slots = slots;
        this.quantum = quantum;
        this.mtu = mtu;
        this.limitPackets = limitPackets;
        this.codel = codel;
        this.drops = drops;
        this.flows = flows;
        st = new int[flows * S];
        lt = new long[flows * SL];
        for (int f = 0; f < flows; f++) {
            st[f * S + HEAD] = NIL;
            st[f * S + TAIL] = NIL;
            lt[f * SL + FIRST_ABOVE] = NOT_SET;
        }
    }

    void setCodel(CodelParameters codel) {
        this.codel = codel;
    }

    CodelParameters codel() {
        return codel;
    }

    boolean isEmpty() {
        return packets == 0;
    }

    int packets() {
        return packets;
    }

    long bytes() {
        return bytes;
    }

    /** The flow queue a 32-bit hash maps to: mixed (murmur3 fmix32), then scaled like the kernel's reciprocal_scale. */
    int flowOf(int flowHash) {
        int h = flowHash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (int) (((h & 0xffffffffL) * flows) >>> 32);
    }

    /**
     * RFC 8290 §4.1. Returns false when the packet was not queued: the pool is exhausted (the arriving packet is
     * refused) or the overlimit drop took the arriving packet itself; every drop goes to the drop counter.
     */
    boolean enqueue(int flowHash, int handle, int lengthBytes, long nowNanos) {
        int slot = slots.take(handle, lengthBytes, nowNanos);
        if (slot == NIL) {
            drops.dropped(handle, lengthBytes, DropReason.POOL_EXHAUSTED);
            return false;
        }
        int flow = flowOf(flowHash);
        if (st[flow * S + TAIL] == NIL) {
            st[flow * S + HEAD] = slot;
        } else {
            slots.link(st[flow * S + TAIL], slot);
        }
        st[flow * S + TAIL] = slot;
        st[flow * S + BACKLOG] += lengthBytes;
        packets++;
        bytes += lengthBytes;
        if (st[flow * S + LIST] == IN_NONE) {
            // §4.1: a queue not in either list joins the new list with a full quantum
            appendNew(flow);
            st[flow * S + DEFICIT] = quantum;
        }
        boolean arrivingDropped = false;
        while (packets > limitPackets) {
            int fattest = fattestFlow();
            int victim = st[fattest * S + HEAD];
            arrivingDropped |= victim == slot;
            dropHead(fattest, DropReason.OVERLIMIT);
        }
        return !arrivingDropped;
    }

    private int fattestFlow() {
        int best = 0;
        for (int f = 1; f < flows; f++) {
            if (st[f * S + BACKLOG] > st[best * S + BACKLOG]) {
                best = f;
            }
        }
        return best;
    }

    private int popHead(int flow) {
        int slot = st[flow * S + HEAD];
        st[flow * S + HEAD] = slots.next(slot);
        if (st[flow * S + HEAD] == NIL) {
            st[flow * S + TAIL] = NIL;
        }
        int len = slots.length(slot);
        st[flow * S + BACKLOG] -= len;
        packets--;
        bytes -= len;
        return slot;
    }

    private void dropHead(int flow, DropReason reason) {
        int slot = popHead(flow);
        int handle = slots.handle(slot);
        int len = slots.length(slot);
        slots.release(slot);
        drops.dropped(handle, len, reason);
    }

    /**
     * RFC 8290 §4.2: the slot of the next packet to send (the caller reads it and releases it), or {@link
     * PacketSlots#NIL} when every queue is empty. CoDel drops on the way are reported to the drop counter.
     */
    int dequeue(long nowNanos) {
        while (true) {
            boolean fromNew = newHead != NIL;
            int flow = fromNew ? newHead : oldHead;
            if (flow == NIL) {
                return NIL;
            }
            if (st[flow * S + DEFICIT] <= 0) {
                st[flow * S + DEFICIT] += quantum;
                popList(fromNew);
                appendOld(flow);
                continue;
            }
            int slot = codelDequeue(flow, nowNanos);
            if (slot == NIL) {
                popList(fromNew);
                // §4.2: an emptied new queue goes to the old list (if that is non-empty) so it cannot jump the
                // line again at once; otherwise it leaves the lists
                if (fromNew && oldHead != NIL) {
                    appendOld(flow);
                } else {
                    st[flow * S + LIST] = IN_NONE;
                }
                continue;
            }
            st[flow * S + DEFICIT] -= slots.length(slot);
            return slot;
        }
    }

    /** RFC 8289 §5.6 dequeue with its §5.5 dodequeue, per flow queue. */
    private int codelDequeue(int flow, long now) {
        int slot = st[flow * S + HEAD] == NIL ? NIL : popHead(flow);
        boolean okToDrop = okToDrop(flow, slot, now);
        if (slot == NIL) {
            st[flow * S + DROPPING] = 0;
            return NIL;
        }
        if (st[flow * S + DROPPING] != 0) {
            if (!okToDrop) {
                st[flow * S + DROPPING] = 0;
            }
            while (st[flow * S + DROPPING] != 0 && now >= lt[flow * SL + DROP_NEXT]) {
                release(slot, DropReason.CODEL);
                st[flow * S + COUNT]++;
                slot = st[flow * S + HEAD] == NIL ? NIL : popHead(flow);
                if (!okToDrop(flow, slot, now)) {
                    st[flow * S + DROPPING] = 0;
                } else {
                    lt[flow * SL + DROP_NEXT] = codel.controlLaw(lt[flow * SL + DROP_NEXT], st[flow * S + COUNT]);
                }
                if (slot == NIL) {
                    return NIL;
                }
            }
        } else if (okToDrop) {
            release(slot, DropReason.CODEL);
            slot = st[flow * S + HEAD] == NIL ? NIL : popHead(flow);
            okToDrop(flow, slot, now); // keeps first_above_time current for the next packet
            st[flow * S + DROPPING] = 1;
            int delta = st[flow * S + COUNT] - st[flow * S + LAST_COUNT];
            st[flow * S + COUNT] = 1;
            // §5.6: re-entering the dropping state soon after leaving it resumes near the old drop rate
            if (delta > 1 && now - lt[flow * SL + DROP_NEXT] < 16 * codel.intervalNanos()) {
                st[flow * S + COUNT] = delta;
            }
            lt[flow * SL + DROP_NEXT] = codel.controlLaw(now, st[flow * S + COUNT]);
            st[flow * S + LAST_COUNT] = st[flow * S + COUNT];
        }
        return slot;
    }

    private void release(int slot, DropReason reason) {
        int handle = slots.handle(slot);
        int len = slots.length(slot);
        slots.release(slot);
        drops.dropped(handle, len, reason);
    }

    /** RFC 8289 §5.5: updates first_above_time for the popped packet and says whether it may be dropped. */
    private boolean okToDrop(int flow, int slot, long now) {
        if (slot == NIL) {
            lt[flow * SL + FIRST_ABOVE] = NOT_SET;
            return false;
        }
        long sojourn = now - slots.enqueuedAt(slot);
        // §5.5: a queue left holding at most one MTU is not "standing", whatever the delay
        if (sojourn < codel.targetNanos() || st[flow * S + BACKLOG] <= mtu) {
            lt[flow * SL + FIRST_ABOVE] = NOT_SET;
            return false;
        }
        if (lt[flow * SL + FIRST_ABOVE] == NOT_SET) {
            lt[flow * SL + FIRST_ABOVE] = now + codel.intervalNanos();
            return false;
        }
        return now >= lt[flow * SL + FIRST_ABOVE];
    }

    /** Gives every queued packet up (class removal), reporting each with {@code reason}. */
    void dropAll(DropReason reason) {
        for (int f = 0; f < flows; f++) {
            while (st[f * S + HEAD] != NIL) {
                dropHead(f, reason);
            }
            st[f * S + LIST] = IN_NONE;
            st[f * S + DROPPING] = 0;
            lt[f * SL + FIRST_ABOVE] = NOT_SET;
        }
        newHead = newTail = oldHead = oldTail = NIL;
    }

    private void appendNew(int flow) {
        st[flow * S + LIST] = IN_NEW;
        st[flow * S + LIST_NEXT] = NIL;
        if (newTail == NIL) {
            newHead = flow;
        } else {
            st[newTail * S + LIST_NEXT] = flow;
        }
        newTail = flow;
    }

    private void appendOld(int flow) {
        st[flow * S + LIST] = IN_OLD;
        st[flow * S + LIST_NEXT] = NIL;
        if (oldTail == NIL) {
            oldHead = flow;
        } else {
            st[oldTail * S + LIST_NEXT] = flow;
        }
        oldTail = flow;
    }

    private void popList(boolean fromNew) {
        if (fromNew) {
            int flow = newHead;
            newHead = st[flow * S + LIST_NEXT];
            if (newHead == NIL) {
                newTail = NIL;
            }
        } else {
            int flow = oldHead;
            oldHead = st[flow * S + LIST_NEXT];
            if (oldHead == NIL) {
                oldTail = NIL;
            }
        }
    }
}
