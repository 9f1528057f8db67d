package net.tinyisp.pppoe.io;

import java.util.concurrent.atomic.AtomicLongArray;
import net.tinyisp.shaping.DropListener;
import net.tinyisp.shaping.DropReason;
import net.tinyisp.shaping.FlowHash;
import net.tinyisp.shaping.HierarchicalShaper;
import net.tinyisp.shaping.HierarchyConfig;
import net.tinyisp.shaping.SubscriberPlan;
import net.tinyisp.shaping.TokenBucketShaper;

/**
 * The core thread's download shaping and the packet buffers it queues, in one of two modes:
 *
 * <ul>
 *   <li>per session (no {@code uplink-down} configured): a tbf-like {@link TokenBucketShaper} per session at its
 *       RADIUS rate, sessions without a limit unshaped;
 *   <li>hierarchy ({@code uplink-down} set): one {@link HierarchicalShaper} whose root is the uplink, every session a
 *       class with its guaranteed rate and ceiling (idle capacity borrowed fairly, fq_codel inside each session).
 * </ul>
 *
 * Owned by the core thread alone: sessions hand in new rates through {@link Subscriber#wantedDown}, which the core
 * thread applies in {@link #adopt}. Buffers are preallocated slots on an int free stack and the per-packet calls
 * allocate nothing; every drop is counted by its {@link DropReason}.
 */
final class DownstreamShaping {
  static final int SLOTS = 8192;
  static final int SLOT_SIZE = 1500;
  private static final int QUEUE_PACKETS = 1024;
  /** The smallest guarantee handed to a session without a download limit in the hierarchy. */
  static final long MIN_UNLIMITED_GUARANTEE_BPS = 64_000;

  private final byte[][] slots = new byte[SLOTS][];
  private final int[] lengths = new int[SLOTS];
  private final int[] free = new int[SLOTS];
  private int freeCount;
  // written by the core thread, read by the metrics scrape
  private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
  private final DropListener releaser = (handle, length, reason) -> {
    free[freeCount++] = handle;
    drops.incrementAndGet(reason.ordinal());
  };
  private final HierarchicalShaper hierarchy;
  private final Subscriber[] byClass;
  private final long unlimitedGuaranteeBps;
  // per-session mode: sessions with packets queued, in an array (a session knows its index)
  private Subscriber[] backlogged = new Subscriber[64];
  private int backlogCount;

  /** Per-session tbf shaping, as before the hierarchy existed. */
  DownstreamShaping() {
    this(0, 1, 0);
  }

  /**
   * @param uplinkDownBps the hierarchy's root capacity, or 0 for per-session tbf shaping
   * @param maxSessions classes to preallocate (the AC's session limit)
   */
  DownstreamShaping(long uplinkDownBps, int maxSessions, long now) {
    for (int i = 0; i < SLOTS; i++) free[freeCount++] = SLOTS - 1 - i;
    if (uplinkDownBps > 0) {
      // bursts of 10 ms at each rate, as the per-session tbf: the core thread sleeps in poll(2) with millisecond
      // granularity, and HTB's default (1 ms + one frame) would cap a class at what fits in one burst per wake-up
      hierarchy = new HierarchicalShaper(new HierarchyConfig(uplinkDownBps, burstFor(uplinkDownBps), maxSessions, SLOTS,
          0, 0, 0, 0, 0, 0), now, releaser);
      byClass = new Subscriber[maxSessions];
      // a session RADIUS gives no download limit borrows like the others, with the guarantee an equal split of the
      // uplink among the maximum number of sessions would give: guarantees never add up to more than the uplink
      unlimitedGuaranteeBps = Math.min(uplinkDownBps, Math.max(MIN_UNLIMITED_GUARANTEE_BPS, uplinkDownBps / maxSessions));
    } else {
      hierarchy = null;
      byClass = null;
      unlimitedGuaranteeBps = 0;
    }
  }

  boolean hierarchical() {
    return hierarchy != null;
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

  /** The hierarchy class for a download limit; a session without one borrows on a small guarantee. */
  SubscriberPlan planFor(DownRate rate) {
    long guaranteed = rate == null ? unlimitedGuaranteeBps : rate.guaranteedBps();
    long ceil = rate == null ? hierarchy.config().uplinkBps() : rate.ceilBps();
    return new SubscriberPlan(guaranteed, ceil, burstFor(guaranteed), burstFor(ceil));
  }

  /**
   * Applies the session's wanted download limit (session up, CoA, set-rate) on the thread that owns the shapers:
   * a new class or tbf, or the existing one changed in place (queued packets stay, tokens are kept).
   */
  void adopt(Subscriber s, long now) {
    if (s.downRetired) return;
    DownRate want = s.wantedDown;
    if (hierarchy != null) {
      if (s.downClass >= 0 && want == s.appliedDown) return;
      SubscriberPlan plan = planFor(want);
      if (s.downClass < 0) {
        try {
          s.downClass = hierarchy.addClass(plan, now);
        } catch (IllegalStateException full) {
          return; // more sessions than classes: its packets are dropped as no_such_class, counted
        }
        byClass[s.downClass] = s;
      } else {
        hierarchy.updateClass(s.downClass, plan, now);
      }
    } else {
      if (want == s.appliedDown) return;
      if (want == null) {
        forgetTbf(s);
        s.downShaper = null;
      } else if (s.downShaper == null) {
        s.downShaper = shaperFor(want.rateBps(), now, releaser);
      } else {
        long burst = burstFor(want.rateBps());
        s.downShaper.setRate(want.rateBps(), burst, TokenBucketShaper.limitForLatency(want.rateBps(), burst, 50_000_000L), now);
      }
    }
    s.appliedDown = want;
  }

  /** True when the session's packets go through a shaper (else they are sent at once). */
  boolean shapes(Subscriber s) {
    return hierarchy != null || s.downShaper != null;
  }

  /** Queues a packet for a shaped session; false when it was dropped (the reason is counted). */
  boolean enqueue(Subscriber s, byte[] packet, int length, long now) {
    if (freeCount == 0) {
      drops.incrementAndGet(DropReason.POOL_EXHAUSTED.ordinal());
      return false;
    }
    int slot = free[--freeCount];
    byte[] b = slots[slot];
    if (b == null) b = slots[slot] = new byte[SLOT_SIZE]; // each slot's buffer once, not per packet
    System.arraycopy(packet, 0, b, 0, length);
    lengths[slot] = length;
    if (hierarchy != null) {
      return hierarchy.enqueue(s.downClass, FlowHash.ipv6(packet, length), slot, length, now);
    }
    if (!s.downShaper.enqueue(slot, length, now)) return false; // the drop listener freed the slot
    if (s.backlogIndex < 0) {
      if (backlogCount == backlogged.length) backlogged = java.util.Arrays.copyOf(backlogged, 2 * backlogCount);
      s.backlogIndex = backlogCount;
      backlogged[backlogCount++] = s;
    }
    return true;
  }

  interface Sender {
    void send(Subscriber s, byte[] packet, int length);
  }

  /** Sends everything that may leave now; returns the next instant something becomes sendable. */
  long release(long now, Sender sender) {
    if (hierarchy != null) {
      int h;
      while ((h = hierarchy.dequeue(now)) != HierarchicalShaper.NONE) {
        sender.send(byClass[hierarchy.lastClass()], slots[h], lengths[h]);
        free[freeCount++] = h;
      }
      return hierarchy.nextEventNanos();
    }
    long next = Long.MAX_VALUE;
    for (int i = 0; i < backlogCount; ) {
      Subscriber s = backlogged[i];
      int h;
      while ((h = s.downShaper.dequeue(now)) != TokenBucketShaper.NONE) {
        sender.send(s, slots[h], lengths[h]);
        free[freeCount++] = h;
      }
      if (s.downShaper.queuedPackets() == 0) {
        removeBacklogged(s);
      } else {
        next = Math.min(next, s.downShaper.nextEventNanos());
        i++;
      }
    }
    return next;
  }

  private void removeBacklogged(Subscriber s) {
    int i = s.backlogIndex;
    Subscriber last = backlogged[--backlogCount];
    backlogged[i] = last;
    last.backlogIndex = i;
    backlogged[backlogCount] = null;
    s.backlogIndex = -1;
  }

  /** A session went away: its queued packets' slots come back (counted as class_removed) and its class is freed. */
  void forget(Subscriber s) {
    s.downRetired = true;
    if (hierarchy != null) {
      if (s.downClass >= 0) {
        hierarchy.removeClass(s.downClass, 0);
        byClass[s.downClass] = null;
        s.downClass = -1;
      }
      return;
    }
    forgetTbf(s);
  }

  private void forgetTbf(Subscriber s) {
    if (s.backlogIndex < 0 || s.downShaper == null) return;
    removeBacklogged(s);
    int h;
    // drain without sending: the session is gone
    while (s.downShaper.queuedPackets() > 0 && (h = s.downShaper.dequeue(Long.MAX_VALUE / 2)) != TokenBucketShaper.NONE) {
      free[freeCount++] = h;
      drops.incrementAndGet(DropReason.CLASS_REMOVED.ordinal());
    }
  }

  /** Packets this shaping gave up, by reason (all sessions, since start). */
  long drops(DropReason reason) {
    return drops.get(reason.ordinal());
  }

  /** Packets queued now (approximate when read off the core thread). */
  int queuedPackets() {
    return SLOTS - freeCount;
  }

  /** The hierarchy (null in per-session mode), for tests and the core thread's own reads. */
  HierarchicalShaper hierarchy() {
    return hierarchy;
  }
}
