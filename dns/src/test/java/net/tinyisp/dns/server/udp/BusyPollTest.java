package net.tinyisp.dns.server.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BusyPollTest {
  private static final long US = 1_000;

  @Test
  void anIdleOrLightlyLoadedLoopNeverSpins() {
    BusyPoll p = new BusyPoll(50 * US);
    assertThat(p.spinNanos()).isZero();
    // 20k qps in batches of one: 50 us between queries, 4 us to serve each (8 % busy)
    for (int i = 0; i < 1000; i++) {
      p.turn(46 * US, 4 * US);
      assertThat(p.spinNanos()).isZero();
    }
  }

  @Test
  void aBusyLoopSpinsFromTheNextPeriodOn() {
    BusyPoll p = new BusyPoll(50 * US);
    for (int i = 0; i < 19; i++) p.turn(20 * US, 30 * US); // 60 % busy, 950 us so far: the period is not over
    assertThat(p.spinNanos()).isZero();
    p.turn(20 * US, 30 * US);
    assertThat(p.spinNanos()).isEqualTo(50 * US);
  }

  @Test
  void spinningStopsWhenTheLoadFalls() {
    BusyPoll p = new BusyPoll(50 * US);
    p.turn(0, BusyPoll.PERIOD_NANOS);
    assertThat(p.spinNanos()).isEqualTo(50 * US);
    p.turn(BusyPoll.PERIOD_NANOS, 0); // a millisecond without queries
    assertThat(p.spinNanos()).isZero();
  }

  @Test
  void theThresholdIsAQuarterOfThePeriodBusy() {
    BusyPoll below = new BusyPoll(50 * US);
    below.turn(760 * US, 240 * US);
    assertThat(below.spinNanos()).isZero();
    BusyPoll at = new BusyPoll(50 * US);
    at.turn(750 * US, 250 * US);
    assertThat(at.spinNanos()).isEqualTo(50 * US);
  }

  @Test
  void zeroTurnsItOffWhateverTheLoad() {
    BusyPoll p = new BusyPoll(0);
    p.turn(0, 10 * BusyPoll.PERIOD_NANOS);
    assertThat(p.spinNanos()).isZero();
    assertThatThrownBy(() -> new BusyPoll(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
