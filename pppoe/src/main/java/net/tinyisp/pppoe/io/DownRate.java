package net.tinyisp.pppoe.io;

import net.tinyisp.shaping.SpeedLimits;

/**
 * A session's download limit as the control loop hands it to the core thread (one immutable value behind a volatile,
 * so the core thread never sees a new rate with an old ceiling), all in bit/s.
 *
 * @param rateBps what the per-session tbf enforces (the winning speed attribute's rate, see {@link SpeedLimits})
 * @param guaranteedBps the hierarchy class's guaranteed rate (Mikrotik rate-min, else the rate)
 * @param ceilBps the hierarchy class's ceiling (Mikrotik max-limit when present, else the rate)
 */
record DownRate(long rateBps, long guaranteedBps, long ceilBps) {

  DownRate {
    if (guaranteedBps < 1 || guaranteedBps > rateBps || ceilBps < rateBps) {
      throw new IllegalArgumentException("download limit needs 1 <= guaranteed <= rate <= ceiling, got "
          + guaranteedBps + " / " + rateBps + " / " + ceilBps + " bit/s");
    }
  }

  /** From a RADIUS reply's or a CoA's download limit; null (no limit) stays null. */
  static DownRate of(SpeedLimits.DirectionLimit limit) {
    return limit == null ? null : new DownRate(limit.rateBps(), limit.minRateBps(), limit.ceilBps());
  }

  /** {@code set-rate --down}: a flat rate; the ceiling from RADIUS stays when it is higher. */
  static DownRate flat(long rateBps, DownRate previous) {
    long ceil = previous == null ? rateBps : Math.max(rateBps, previous.ceilBps());
    return new DownRate(rateBps, rateBps, ceil);
  }
}
