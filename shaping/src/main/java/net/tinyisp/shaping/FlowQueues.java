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
    private static final byte IN_NONE = 0;
    private static final byte IN_NEW = 1;
    private static final byte IN_OLD = 2;

    private final PacketSlots slots;
    private final DropCounter drops;
    private final int quantum;
    private final int mtu;
    private final int limitPackets;
    private CodelParameters codel;

    // per flow queue
    private final int[] head;
    private final int[] tail;
    private final int[] backlogBytes;
    private final int[] deficit;
    private final int[] listNext;
    private final byte[] list;
    // per flow CoDel state (RFC 8289 §5 names)
    private final long[] firstAboveTime;
    private final long[] dropNext;
    private final int[] count;
    private final int[] lastCount;
    private final boolean[] dropping;

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
        head = new int[flows];
        tail = new int[flows];
        backlogBytes = new int[flows];
        deficit = new int[flows];
        listNext = new int[flows];
        list = new byte[flows];
        firstAboveTime = new long[flows];
        dropNext = new long[flows];
        count = new int[flows];
        lastCount = new int[flows];
        dropping = new boolean[flows];
        java.util.Arrays.fill(head, NIL);
        java.util.Arrays.fill(tail, NIL);
        java.util.Arrays.fill(firstAboveTime, NOT_SET);
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
        return (int) (((h & 0xffffffffL) * head.length) >>> 32);
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
        if (tail[flow] == NIL) {
            head[flow] = slot;
        } else {
            slots.link(tail[flow], slot);
        }
        tail[flow] = slot;
        backlogBytes[flow] += lengthBytes;
        packets++;
        bytes += lengthBytes;
        if (list[flow] == IN_NONE) {
            // §4.1: a queue not in either list joins the new list with a full quantum
            appendNew(flow);
            deficit[flow] = quantum;
        }
        boolean arrivingDropped = false;
        while (packets > limitPackets) {
            int fattest = fattestFlow();
            int victim = head[fattest];
            arrivingDropped |= victim == slot;
            dropHead(fattest, DropReason.OVERLIMIT);
        }
        return !arrivingDropped;
    }

    private int fattestFlow() {
        int best = 0;
        for (int f = 1; f < backlogBytes.length; f++) {
            if (backlogBytes[f] > backlogBytes[best]) {
                best = f;
            }
        }
        return best;
    }

    private int popHead(int flow) {
        int slot = head[flow];
        head[flow] = slots.next(slot);
        if (head[flow] == NIL) {
            tail[flow] = NIL;
        }
        int len = slots.length(slot);
        backlogBytes[flow] -= len;
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
            if (deficit[flow] <= 0) {
                deficit[flow] += quantum;
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
                    list[flow] = IN_NONE;
                }
                continue;
            }
            deficit[flow] -= slots.length(slot);
            return slot;
        }
    }

    /** RFC 8289 §5.6 dequeue with its §5.5 dodequeue, per flow queue. */
    private int codelDequeue(int flow, long now) {
        int slot = head[flow] == NIL ? NIL : popHead(flow);
        boolean okToDrop = okToDrop(flow, slot, now);
        if (slot == NIL) {
            dropping[flow] = false;
            return NIL;
        }
        if (dropping[flow]) {
            if (!okToDrop) {
                dropping[flow] = false;
            }
            while (dropping[flow] && now >= dropNext[flow]) {
                release(slot, DropReason.CODEL);
                count[flow]++;
                slot = head[flow] == NIL ? NIL : popHead(flow);
                if (!okToDrop(flow, slot, now)) {
                    dropping[flow] = false;
                } else {
                    dropNext[flow] = codel.controlLaw(dropNext[flow], count[flow]);
                }
                if (slot == NIL) {
                    return NIL;
                }
            }
        } else if (okToDrop) {
            release(slot, DropReason.CODEL);
            slot = head[flow] == NIL ? NIL : popHead(flow);
            okToDrop(flow, slot, now); // keeps first_above_time current for the next packet
            dropping[flow] = true;
            int delta = count[flow] - lastCount[flow];
            count[flow] = 1;
            // §5.6: re-entering the dropping state soon after leaving it resumes near the old drop rate
            if (delta > 1 && now - dropNext[flow] < 16 * codel.intervalNanos()) {
                count[flow] = delta;
            }
            dropNext[flow] = codel.controlLaw(now, count[flow]);
            lastCount[flow] = count[flow];
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
            firstAboveTime[flow] = NOT_SET;
            return false;
        }
        long sojourn = now - slots.enqueuedAt(slot);
        // §5.5: a queue left holding at most one MTU is not "standing", whatever the delay
        if (sojourn < codel.targetNanos() || backlogBytes[flow] <= mtu) {
            firstAboveTime[flow] = NOT_SET;
            return false;
        }
        if (firstAboveTime[flow] == NOT_SET) {
            firstAboveTime[flow] = now + codel.intervalNanos();
            return false;
        }
        return now >= firstAboveTime[flow];
    }

    /** Gives every queued packet up (class removal), reporting each with {@code reason}. */
    void dropAll(DropReason reason) {
        for (int f = 0; f < head.length; f++) {
            while (head[f] != NIL) {
                dropHead(f, reason);
            }
            list[f] = IN_NONE;
            dropping[f] = false;
            firstAboveTime[f] = NOT_SET;
        }
        newHead = newTail = oldHead = oldTail = NIL;
    }

    private void appendNew(int flow) {
        list[flow] = IN_NEW;
        listNext[flow] = NIL;
        if (newTail == NIL) {
            newHead = flow;
        } else {
            listNext[newTail] = flow;
        }
        newTail = flow;
    }

    private void appendOld(int flow) {
        list[flow] = IN_OLD;
        listNext[flow] = NIL;
        if (oldTail == NIL) {
            oldHead = flow;
        } else {
            listNext[oldTail] = flow;
        }
        oldTail = flow;
    }

    private void popList(boolean fromNew) {
        if (fromNew) {
            int flow = newHead;
            newHead = listNext[flow];
            if (newHead == NIL) {
                newTail = NIL;
            }
        } else {
            int flow = oldHead;
            oldHead = listNext[flow];
            if (oldHead == NIL) {
                oldTail = NIL;
            }
        }
    }
}
