package net.tinyisp.net.packet;

import java.lang.foreign.MemorySegment;

/** Receives each frame from the ring: {@code length} bytes at {@code offset} of {@code ring}, valid only during the call. */
@FunctionalInterface
public interface FrameHandler {
  void frame(MemorySegment ring, long offset, int length);
}
