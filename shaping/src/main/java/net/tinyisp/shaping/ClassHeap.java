package net.tinyisp.shaping;

import java.util.Arrays;

/**
 * An indexed binary min-heap of class ids keyed by the nanosecond at which their mode may improve (HTB's "wait
 * queue"): O(log n) insert, update and remove by id, O(1) peek; preallocated for the maximum number of classes.
 */
final class ClassHeap {

    private final int[] heap;
    private final int[] position;
    private final long[] key;
    private int size;

    ClassHeap(int capacity) {
        heap = new int[capacity];
        position = new int[capacity];
        key = new long[capacity];
        Arrays.fill(position, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    int peek() {
        return heap[0];
    }

    long peekKey() {
        return key[heap[0]];
    }

    boolean contains(int id) {
        return position[id] >= 0;
    }

    /** Inserts {@code id}, or moves it if already present. */
    void put(int id, long at) {
        int p = position[id];
        if (p < 0) {
            key[id] = at;
            heap[size] = id;
            position[id] = size;
            siftUp(size++);
            return;
        }
        long old = key[id];
        key[id] = at;
        if (at < old) {
            siftUp(p);
        } else {
            siftDown(p);
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
        int last = heap[size];
        heap[p] = last;
        position[last] = p;
        siftDown(p);
        siftUp(position[last]);
    }

    private void siftUp(int p) {
        int id = heap[p];
        long k = key[id];
        while (p > 0) {
            int parent = (p - 1) >>> 1;
            int pid = heap[parent];
            if (key[pid] <= k) {
                break;
            }
            heap[p] = pid;
            position[pid] = p;
            p = parent;
        }
        heap[p] = id;
        position[id] = p;
    }

    private void siftDown(int p) {
        int id = heap[p];
        long k = key[id];
        int half = size >>> 1;
        while (p < half) {
            int child = 2 * p + 1;
            int right = child + 1;
            if (right < size && key[heap[right]] < key[heap[child]]) {
                child = right;
            }
            int cid = heap[child];
            if (k <= key[cid]) {
                break;
            }
            heap[p] = cid;
            position[cid] = p;
            p = child;
        }
        heap[p] = id;
        position[id] = p;
    }
}
