package net.tinyisp.net.xdp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One of the four single-producer/single-consumer rings an AF_XDP socket shares with the kernel: a producer and a
 * consumer index (free-running u32, the slot is {@code index & mask}), a flags word and the descriptors. The side
 * that owns an index publishes it with a release store after writing the descriptors, and reads the other side's
 * with an acquire load before reading them, as the kernel's {@code smp_load_acquire}/{@code smp_store_release}
 * pairing expects ({@code Documentation/networking/af_xdp.rst}).
 */
final class XskRing {
  /** XDP_RING_NEED_WAKEUP in the flags word. */
  static final int NEED_WAKEUP = 1;
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private final MemorySegment map;
  private final long producer;
  private final long consumer;
  private final long flags;
  final MemorySegment descs;
  final int mask;
  /** This side's copy of the index it owns (producer for fill/TX, consumer for RX/completion). */
  int local;

  XskRing(MemorySegment map, long producer, long consumer, long desc, long flags, int size, int descSize) {
    this.map = map;
    this.producer = producer;
    this.consumer = consumer;
    this.flags = flags;
    this.mask = size - 1;
    this.descs = map.asSlice(desc, (long) size * descSize);
  }

  MemorySegment mapping() {
    return map;
  }

  int producerAcquire() {
    return (int) INT.getAcquire(map, producer);
  }

  int consumerAcquire() {
    return (int) INT.getAcquire(map, consumer);
  }

  void publishProducer(int value) {
    INT.setRelease(map, producer, value);
  }

  void publishConsumer(int value) {
    INT.setRelease(map, consumer, value);
  }

  boolean needsWakeup() {
    return ((int) INT.getVolatile(map, flags) & NEED_WAKEUP) != 0;
  }
}
