package net.tinyisp.ppp.fsm;

import java.time.Duration;

/**
 * RFC 1661 §4.6 counters and timer, with the RFC's suggested defaults: Restart timer 3 s, Max-Terminate 2,
 * Max-Configure 10, Max-Failure 5.
 */
public record Timers(Duration restart, int maxTerminate, int maxConfigure, int maxFailure) {
  public static final Timers RFC_DEFAULTS = new Timers(Duration.ofSeconds(3), 2, 10, 5);

  public Timers {
    if (restart.isNegative() || restart.isZero() || maxTerminate < 1 || maxConfigure < 1 || maxFailure < 1) {
      throw new IllegalArgumentException("PPP timers must be positive");
    }
  }
}
