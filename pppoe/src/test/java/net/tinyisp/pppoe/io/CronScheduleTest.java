package net.tinyisp.pppoe.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static ZonedDateTime at(String iso) {
    return ZonedDateTime.parse(iso);
  }

  @Test
  void monthlyAtMidnightOfTheFirst() {
    CronSchedule c = CronSchedule.parse("0 0 1 * *");
    assertThat(c.next(at("2026-11-26T05:10:00Z"))).isEqualTo(at("2026-12-01T00:00:00Z"));
    assertThat(c.next(at("2026-12-01T00:00:00Z"))).isEqualTo(at("2027-01-01T00:00:00Z"));
  }

  @Test
  void stepsListsRangesAndWeekdays() {
    assertThat(CronSchedule.parse("*/15 * * * *").next(at("2026-11-26T05:10:30Z"))).isEqualTo(at("2026-11-26T05:15:00Z"));
    assertThat(CronSchedule.parse("30 2 * * 1-5").next(at("2026-11-28T00:00:00Z"))) // Saturday -> Monday
        .isEqualTo(at("2026-11-30T02:30:00Z"));
    assertThat(CronSchedule.parse("0 0 1,15 * *").next(at("2026-11-02T00:00:00Z"))).isEqualTo(at("2026-11-15T00:00:00Z"));
    assertThat(CronSchedule.parse("0 0 * * 7").next(at("2026-11-26T00:00:00Z"))).isEqualTo(at("2026-11-29T00:00:00Z"));
  }

  @Test
  void badExpressionsSayWhy() {
    assertThatThrownBy(() -> CronSchedule.parse("0 0 1 *")).hasMessageContaining("five fields");
    assertThatThrownBy(() -> CronSchedule.parse("61 0 1 * *")).hasMessageContaining("0..59");
    assertThatThrownBy(() -> CronSchedule.parse("0 0 31 2 *").next(at("2026-01-01T00:00:00Z"))).hasMessageContaining("never");
  }
}
