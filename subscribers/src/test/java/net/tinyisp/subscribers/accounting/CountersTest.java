package net.tinyisp.subscribers.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountersTest {
  @Test
  void gigawordsAreTheHigh32BitsOfTheTotal() {
    // RFC 2869 §5.1: 3 wraps + 5 octets
    assertThat(Counters.total(5, 3)).isEqualTo(3L * 4294967296L + 5);
    assertThat(Counters.total(0xffffffffL, 0)).isEqualTo(4294967295L);
  }

  @Test
  void deltaAcrossAGigawordWrapIsExact() {
    long before = Counters.total(4294967000L, 0);
    long after = Counters.total(704, 1); // the 32-bit counter wrapped, gigawords went 0 -> 1
    assertThat(Counters.delta(before, after, true)).isEqualTo(new Counters.Delta(1000, null));
  }

  @Test
  void a32BitCounterWithoutGigawordsIsTakenToHaveWrappedOnce() {
    Counters.Delta d = Counters.delta(4294967000L, 704, false);
    assertThat(d.octets()).isEqualTo(1000);
    assertThat(d.anomaly()).isEqualTo(AccountingOutcome.COUNTER_WRAPPED_32BIT);
  }

  @Test
  void a64BitCounterGoingBackwardsCountsFromZero() {
    Counters.Delta d = Counters.delta(Counters.total(10, 2), 500, true);
    assertThat(d.octets()).isEqualTo(500);
    assertThat(d.anomaly()).isEqualTo(AccountingOutcome.COUNTER_WENT_BACKWARDS);
  }
}
