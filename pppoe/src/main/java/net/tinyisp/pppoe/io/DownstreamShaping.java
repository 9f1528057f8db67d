package net.tinyisp.pppoe.io;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import net.tinyisp.shaping.DropListener;
import net.tinyisp.shaping.TokenBucketShaper;

/**
 * The core thread's per-session download shapers (tbf semantics, from the RADIUS speed attributes) and the packet
 * buffers they queue. Owned by the core thread alone: sessions hand in new rates through {@link #update}, which the
 * core thread applies at its next turn. Buffers are preallocated slots; a full pool drops and counts.
 */
final class DownstreamShaping {
  static final int SLOTS = 8192;
  static final int SLOT_SIZE = 1500;
  private static final int QUEUE_PACKETS = 1024;

  private final byte[][] slots = new byte[SLOTS][];
  private final int[] lengths = new int[SLOTS];
  private final ArrayDeque<Integer> free = new ArrayDeque<>(SLOTS);
  private final Set<Subscriber> backlogged = new LinkedHashSet<>();
  private long poolExhausted;

  DownstreamShaping() {
    for (int i = 0; i < SLOTS; i++) free.push(i);
  }

  /** Download shaper settings for a session: rate in bit/s, burst of 10 ms (at least two full packets), 50 ms queue. */
  static TokenBucketShaper shaperFor(long rateBps, long now, DropListener drops) {
    long burst = burstFor(rateBps);
    return new TokenBucketShaper(rateBps, burst, TokenBucketShaper.limitForLatency(rateBps, burst, 50_000_000L),
        QUEUE_PACKETS, now, drops);
  }

  static long burstFor(long rateBps) {
    return Math.max(2 * SLOT_SIZE, rateBps / 8 / 100);
  }

  /**
   * The upload policer's burst: a quarter second of the rate. A policer has no queue, so a bucket as small as the
   * shaper's drops TCP's slow-start bursts and the flow settles far below its rate (measured: 14% of 1 Mbit/s with
   * a 10 ms bucket); 250 ms is what carrier policers commonly allow (RFC 2698 CBS sized for TCP).
   */
  static long policerBurstFor(long rateBps) {
    return Math.max(4 * SLOT_SIZE, rateBps / 8 / 4);
  }

  DropListener releaser() {
    return (handle, length, reason) -> free.push(handle);
  }

  /** Queues a packet for a shaped session; false when it was dropped (pool or queue full). */
  boolean enqueue(Subscriber s, byte[] packet, int length, long now) {
    Integer slot = free.poll();
    if (slot == null) {
      poolExhausted++;
      return false;
    }
    byte[] b = slots[slot];
    if (b == null) b = slots[slot] = new byte[SLOT_SIZE];
    System.arraycopy(packet, 0, b, 0, length);
    lengths[slot] = length;
    if (!s.downShaper.enqueue(slot, length, now)) return false; // the drop listener freed the slot
    backlogged.add(s);
    return true;
  }

  interface Sender {
    void send(Subscriber s, byte[] packet, int length);
  }

  /** Sends what every backlogged session may send now; returns the next instant something becomes sendable. */
  long release(long now, Sender sender) {
    long next = Long.MAX_VALUE;
    for (var it = backlogged.iterator(); it.hasNext(); ) {
      Subscriber s = it.next();
      int h;
      while ((h = s.downShaper.dequeue(now)) != TokenBucketShaper.NONE) {
        sender.send(s, slots[h], lengths[h]);
        free.push(h);
      }
      if (s.downShaper.queuedPackets() == 0) {
        it.remove();
      } else {
        next = Math.min(next, s.downShaper.nextEventNanos());
      }
    }
    return next;
  }

  /** A session went away: its queued packets' slots come back. */
  void forget(Subscriber s) {
    if (backlogged.remove(s) && s.downShaper != null) {
      int h;
      // drain without sending: the session is gone
      while (s.downShaper.queuedPackets() > 0 && (h = s.downShaper.dequeue(Long.MAX_VALUE / 2)) != TokenBucketShaper.NONE) {
        free.push(h);
      }
    }
  }

  long poolExhausted() {
    return poolExhausted;
  }
}
