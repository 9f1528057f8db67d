package net.tinyisp.shaping;

/**
 * The hierarchical shaper's preallocated packet store: one slot per queued packet holding the caller's handle, its
 * length, its enqueue time (for CoDel's sojourn time) and the link to the next slot of the same flow queue. A free
 * list threads through the unused slots, so taking and returning a slot is O(1) and never allocates; all flow
 * queues of all subscribers share it, so memory is bounded by the pool, not by subscribers times queue depth.
 */
final class PacketSlots {

    static final int NIL = -1;

    // next, handle, length of one slot side by side: one cache line per packet, not three
    private static final int NEXT = 0;
    private static final int HANDLE = 1;
    private static final int LENGTH = 2;
    private static final int S = 3;
    private final int capacity;
    private final int[] st;
    private final long[] enqueuedAt;
    private int freeHead;
    private int used;

    PacketSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("packet pool must hold at least 1 packet, got " + capacity);
        }
        this.capacity = capacity;
        st = new int[capacity * S];
        enqueuedAt = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            st[i * S + NEXT] = i + 1 < capacity ? i + 1 : NIL;
        }
        freeHead = 0;
    }

    /** A slot holding the packet, or {@link #NIL} when the pool is exhausted. */
    int take(int packetHandle, int packetLength, long nowNanos) {
        int slot = freeHead;
        if (slot == NIL) {
            return NIL;
        }
        freeHead = st[slot * S + NEXT];
        st[slot * S + NEXT] = NIL;
        st[slot * S + HANDLE] = packetHandle;
        st[slot * S + LENGTH] = packetLength;
        enqueuedAt[slot] = nowNanos;
        used++;
        return slot;
    }

    void release(int slot) {
        st[slot * S + NEXT] = freeHead;
        freeHead = slot;
        used--;
    }

    int next(int slot) {
        return st[slot * S + NEXT];
    }

    void link(int slot, int nextSlot) {
        st[slot * S + NEXT] = nextSlot;
    }

    int handle(int slot) {
        return st[slot * S + HANDLE];
    }

    int length(int slot) {
        return st[slot * S + LENGTH];
    }

    long enqueuedAt(int slot) {
        return enqueuedAt[slot];
    }

    int used() {
        return used;
    }

    int capacity() {
        return capacity;
    }
}
