package net.tinyisp.subscribers.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsagePeriodTest {
  static final UsagePeriod MONTHLY = UsagePeriod.monthly(ZoneOffset.UTC);

  @Test
  void monthlyPeriodsStartOnTheConfiguredDayInTheZone() {
    assertThat(MONTHLY.start(Instant.parse("2026-02-14T12:00:00Z"))).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(MONTHLY.next(Instant.parse("2026-12-31T23:59:59Z"))).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    UsagePeriod from15 = new UsagePeriod(UsagePeriod.Length.MONTHLY, 15, ZoneId.of("Europe/Berlin"));
    // 2026-03-10 is before the 15th: the period began on 15 February, midnight Berlin (UTC+1)
    assertThat(from15.start(Instant.parse("2026-03-10T00:00:00Z"))).isEqualTo(Instant.parse("2026-02-14T23:00:00Z"));
    assertThatThrownBy(() -> new UsagePeriod(UsagePeriod.Length.MONTHLY, 31, ZoneOffset.UTC))
        .hasMessageContaining("1..28");
  }

  @Test
  void weeklyAndDailyPeriods() {
    UsagePeriod weekly = new UsagePeriod(UsagePeriod.Length.WEEKLY, 1, ZoneOffset.UTC);
    assertThat(weekly.start(Instant.parse("2026-11-26T10:00:00Z"))) // a Thursday
        .isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
    UsagePeriod daily = new UsagePeriod(UsagePeriod.Length.DAILY, 1, ZoneOffset.UTC);
    assertThat(daily.next(Instant.parse("2026-11-26T10:00:00Z"))).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
  }

  @Test
  void aDeltaInsideOnePeriodGoesWhole() {
    assertThat(MONTHLY.split(Instant.parse("2026-02-01T10:00:00Z"), Instant.parse("2026-02-01T10:05:00Z"), 999))
        .containsExactly(new UsagePeriod.Share(Instant.parse("2026-02-01T00:00:00Z"), 999));
  }

  @Test
  void aDeltaAcrossTheRollOverIsSplitByTimeAndAddsUpExactly() {
    // 5 minutes of traffic, 2 before midnight and 3 after
    List<UsagePeriod.Share> s = MONTHLY.split(Instant.parse("2026-01-31T23:58:00Z"),
        Instant.parse("2026-02-01T00:03:00Z"), 1001);
    assertThat(s).containsExactly(
        new UsagePeriod.Share(Instant.parse("2026-01-01T00:00:00Z"), 400),
        new UsagePeriod.Share(Instant.parse("2026-02-01T00:00:00Z"), 601));
  }

  @Test
  void aLongGapSpanningSeveralPeriodsStillAddsUp() {
    long octets = Long.MAX_VALUE / 3;
    List<UsagePeriod.Share> s = MONTHLY.split(Instant.parse("2026-01-20T00:00:00Z"),
        Instant.parse("2026-04-02T00:00:00Z"), octets);
    assertThat(s).extracting(UsagePeriod.Share::periodStart).containsExactly(
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"),
        Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
    assertThat(s.stream().mapToLong(UsagePeriod.Share::octets).sum()).isEqualTo(octets);
  }
}
