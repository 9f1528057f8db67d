package net.tinyisp.subscribers.accounting;

/**
 * Octet counter arithmetic. A NAS reports 32-bit Acct-Input/Output-Octets (RFC 2866 §5.3/§5.4) and, per RFC 2869
 * §5.1/§5.2, how many times each wrapped in Acct-Input/Output-Gigawords; the 64-bit total is
 * {@code gigawords * 2^32 + octets}. Usage is the difference of totals between two records of one session.
 */
public final class Counters {
  static final long WRAP = 1L << 32;

  private Counters() {}

  public static long total(long octets, long gigawords) {
    return (gigawords << 32) + (octets & 0xffffffffL);
  }

  /** The result of {@link #delta}: octets, and what happened if the counter did not simply grow. */
  public record Delta(long octets, AccountingOutcome anomaly) {}

  /**
   * Octets between a previous and a current total. Without gigawords a lower value means the 32-bit counter
   * wrapped once (a NAS reporting every few minutes cannot wrap 4 GiB twice at today's access speeds). With
   * gigawords the total is 64-bit and never wraps; a lower value means the NAS restarted its counters, so the new
   * value is all new traffic.
   */
  public static Delta delta(long previous, long current, boolean gigawords) {
    if (current >= previous) return new Delta(current - previous, null);
    if (!gigawords && previous < WRAP && current < WRAP) {
      return new Delta(current + WRAP - previous, AccountingOutcome.COUNTER_WRAPPED_32BIT);
    }
    return new Delta(current, AccountingOutcome.COUNTER_WENT_BACKWARDS);
  }
}
