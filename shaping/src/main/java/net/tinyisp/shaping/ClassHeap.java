package net.tinyisp.shaping;

import java.util.Arrays;

/**
 * An indexed 4-ary min-heap of class ids keyed by the nanosecond at which their colour may improve (HTB's "wait
 * queue"): O(log n) insert, update and remove by id, O(1) peek; preallocated for the maximum number of classes.
 *
 * <p>Keys are stored by heap position, next to the ids, not by class id: a sift compares the four children of one
 * node, which then sit in one or two cache lines instead of four random ones. With 10,000 waiting classes a binary
 * heap with keys by id cost about 13 levels of two random loads per operation; this one about 7 levels of one.
 */
final class ClassHeap {

    private static final int ARITY = 4;

    private final int[] ids;
    private final long[] keys;
    private final int[] position;
    private int size;

    ClassHeap(int capacity) {
        ids = new int[capacity];
        keys = new long[capacity];
        position = new int[capacity];
        Arrays.fill(position, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    int peek() {
        return ids[0];
    }

    long peekKey() {
        return keys[0];
    }

    boolean contains(int id) {
        return position[id] >= 0;
    }

    /** Inserts {@code id}, or moves it if already present. */
    void put(int id, long at) {
        int p = position[id];
        if (p < 0) {
            siftUp(size++, id, at);
            return;
        }
        if (at < keys[p]) {
            siftUp(p, id, at);
        } else {
            siftDown(p, id, at);
        }
    }

    void remove(int id) {
        int p = position[id];
        if (p < 0) {
            return;
        }
        position[id] = -1;
        size--;
        if (p == size) {
            return;
        }
        int last = ids[size];
        long lastKey = keys[size];
        if (lastKey < keys[p]) {
            siftUp(p, last, lastKey);
        } else {
            siftDown(p, last, lastKey);
        }
    }

    /** Places {@code id} with key {@code k} at the hole {@code p} or above it. */
    private void siftUp(int p, int id, long k) {
        while (p > 0) {
            int parent = (p - 1) / ARITY;
            long pk = keys[parent];
            if (pk <= k) {
                break;
            }
            int pid = ids[parent];
            ids[p] = pid;
            keys[p] = pk;
            position[pid] = p;
            p = parent;
        }
        ids[p] = id;
        keys[p] = k;
        position[id] = p;
    }

    /** Places {@code id} with key {@code k} at the hole {@code p} or below it. */
    private void siftDown(int p, int id, long k) {
        while (true) {
            int first = ARITY * p + 1;
            if (first >= size) {
                break;
            }
            int end = Math.min(first + ARITY, size);
            int child = first;
            long ck = keys[first];
            for (int c = first + 1; c < end; c++) {
                if (keys[c] < ck) {
                    ck = keys[c];
                    child = c;
                }
            }
            if (k <= ck) {
                break;
            }
            int cid = ids[child];
            ids[p] = cid;
            keys[p] = ck;
            position[cid] = p;
            p = child;
        }
        ids[p] = id;
        keys[p] = k;
        position[id] = p;
    }
}
