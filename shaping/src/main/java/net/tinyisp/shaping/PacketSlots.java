package net.tinyisp.shaping;

/**
 * The hierarchical shaper's preallocated packet store: one slot per queued packet holding the caller's handle, its
 * length, its enqueue time (for CoDel's sojourn time) and the link to the next slot of the same flow queue. A free
 * list threads through the unused slots, so taking and returning a slot is O(1) and never allocates; all flow
 * queues of all subscribers share it, so memory is bounded by the pool, not by subscribers times queue depth.
 */
final class PacketSlots {

    static final int NIL = -1;

    private final int[] next;
    private final int[] handle;
    private final int[] length;
    private final long[] enqueuedAt;
    private int freeHead;
    private int used;

    PacketSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("packet pool must hold at least 1 packet, got " + capacity);
        }
        next = new int[capacity];
        handle = new int[capacity];
        length = new int[capacity];
        enqueuedAt = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            next[i] = i + 1 < capacity ? i + 1 : NIL;
        }
        freeHead = 0;
    }

    /** A slot holding the packet, or {@link #NIL} when the pool is exhausted. */
    int take(int packetHandle, int packetLength, long nowNanos) {
        int slot = freeHead;
        if (slot == NIL) {
            return NIL;
        }
        freeHead = next[slot];
        next[slot] = NIL;
        handle[slot] = packetHandle;
        length[slot] = packetLength;
        enqueuedAt[slot] = nowNanos;
        used++;
        return slot;
    }

    void release(int slot) {
        next[slot] = freeHead;
        freeHead = slot;
        used--;
    }

    int next(int slot) {
        return next[slot];
    }

    void link(int slot, int nextSlot) {
        next[slot] = nextSlot;
    }

    int handle(int slot) {
        return handle[slot];
    }

    int length(int slot) {
        return length[slot];
    }

    long enqueuedAt(int slot) {
        return enqueuedAt[slot];
    }

    int used() {
        return used;
    }

    int capacity() {
        return next.length;
    }
}
