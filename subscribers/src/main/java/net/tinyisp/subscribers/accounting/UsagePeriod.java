package net.tinyisp.subscribers.accounting;

import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The usage period a data cap applies to: daily, weekly (from Monday) or monthly (from a day of the month), in a
 * time zone. Periods roll over by the calendar, not by the session: a session that spans a boundary keeps running
 * and its traffic is split between the periods (see {@link #split}).
 */
public record UsagePeriod(Length length, int startDay, ZoneId zone) {

  public enum Length { DAILY, WEEKLY, MONTHLY }

  public UsagePeriod {
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(zone, "zone");
    if (length == Length.MONTHLY && (startDay < 1 || startDay > 28)) {
      throw new IllegalArgumentException("a monthly period starts on day 1..28 of the month, not " + startDay);
    }
  }

  public static UsagePeriod monthly(ZoneId zone) {
    return new UsagePeriod(Length.MONTHLY, 1, zone);
  }

  /** The start of the period that contains {@code t}. */
  public Instant start(Instant t) {
    ZonedDateTime z = t.atZone(zone);
    LocalDate d = z.toLocalDate();
    LocalDate s = switch (length) {
      case DAILY -> d;
      case WEEKLY -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTHLY -> d.getDayOfMonth() >= startDay ? d.withDayOfMonth(startDay)
          : d.minusMonths(1).withDayOfMonth(startDay);
    };
    return s.atStartOfDay(zone).toInstant();
  }

  /** The start of the period after the one that contains {@code t}. */
  public Instant next(Instant t) {
    LocalDate s = start(t).atZone(zone).toLocalDate();
    LocalDate n = switch (length) {
      case DAILY -> s.plusDays(1);
      case WEEKLY -> s.plusWeeks(1);
      case MONTHLY -> s.plusMonths(1);
    };
    return n.atStartOfDay(zone).toInstant();
  }

  /** Octets attributed to one period. */
  public record Share(Instant periodStart, long octets) {}

  /**
   * Splits octets counted between {@code from} and {@code to} over the periods they span, in proportion to time
   * (the NAS does not say when within the interval the bytes flowed). The shares add up to {@code octets} exactly:
   * the last period takes the rounding remainder.
   */
  public List<Share> split(Instant from, Instant to, long octets) {
    Instant first = start(to);
    if (!from.isBefore(to) || !from.isBefore(first)) {
      return List.of(new Share(first, octets));
    }
    List<Share> out = new ArrayList<>();
    long span = to.toEpochMilli() - from.toEpochMilli();
    long given = 0;
    Instant cursor = from;
    while (true) {
      Instant boundary = next(cursor);
      if (!boundary.isBefore(to)) {
        out.add(new Share(start(cursor), octets - given));
        return out;
      }
      long part = BigInteger.valueOf(octets)
          .multiply(BigInteger.valueOf(boundary.toEpochMilli() - cursor.toEpochMilli()))
          .divide(BigInteger.valueOf(span)).longValueExact();
      out.add(new Share(start(cursor), part));
      given += part;
      cursor = boundary;
    }
  }
}
