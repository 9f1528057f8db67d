package net.tinyisp.pppoe.discovery;

/** A token bucket on a nanosecond clock, for PADI floods; pure, one per MAC plus one global. */
final class RateLimiter {
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(double perSecond, double burst, long now) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  boolean tryTake(long now) {
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) * perNano);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  boolean isFull(long now) {
    return tokens + (now - last) * perNano >= burst;
  }
}
