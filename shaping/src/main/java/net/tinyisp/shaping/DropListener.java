package net.tinyisp.shaping;

/**
 * Told about every packet the shaper gives up after accepting it (CoDel, overlimit, class removal) or refuses at
 * enqueue, so the caller can release the buffer behind the handle and count the reason. Called synchronously from
 * {@code enqueue}/{@code dequeue}/{@code remove}; must not call back into the shaper.
 */
@FunctionalInterface
public interface DropListener {
    void dropped(int handle, int lengthBytes, DropReason reason);

    /** For callers that own no buffers (tests, benchmarks): count elsewhere, release nothing. */
    DropListener IGNORE = (handle, lengthBytes, reason) -> { };
}
