package net.tinyisp.pppoe.io;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A cron(5) time expression, five fields: minute hour day-of-month month day-of-week, with {@code *}, numbers,
 * lists ({@code 1,15}), ranges ({@code 1-5}) and steps ({@code *}{@code /15}). Used for the counters-reset schedule
 * (e.g. {@code "0 0 1 * *"}, monthly). As in cron, when both day fields are restricted either may match.
 */
public record CronSchedule(BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet weekdays,
    boolean daysRestricted, boolean weekdaysRestricted, String text) {

  public static CronSchedule parse(String text) {
    String[] f = text.strip().split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("'" + text + "': a schedule has five fields: minute hour day month weekday");
    }
    BitSet weekdays = field(f[4], 0, 7, text);
    if (weekdays.get(7)) weekdays.set(0); // 7 is Sunday too
    return new CronSchedule(field(f[0], 0, 59, text), field(f[1], 0, 23, text), field(f[2], 1, 31, text),
        field(f[3], 1, 12, text), weekdays, !f[2].equals("*"), !f[4].equals("*"), text);
  }

  private static BitSet field(String spec, int min, int max, String text) {
    BitSet out = new BitSet(max + 1);
    for (String part : spec.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, text);
        range = part.substring(0, slash);
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = min;
        hi = max;
      } else if (range.contains("-")) {
        lo = number(range.substring(0, range.indexOf('-')), min, max, text);
        hi = number(range.substring(range.indexOf('-') + 1), min, max, text);
      } else {
        lo = number(range, min, max, text);
        hi = slash >= 0 ? max : lo;
      }
      if (lo > hi) throw new IllegalArgumentException("'" + text + "': range " + range + " runs backwards");
      for (int v = lo; v <= hi; v += step) out.set(v);
    }
    return out;
  }

  private static int number(String s, int min, int max, String text) {
    try {
      int v = Integer.parseInt(s);
      if (v < min || v > max) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': '" + s + "' is not a number in " + min + ".." + max);
    }
  }

  /** The first minute strictly after {@code after} that matches (searched up to five years ahead). */
  public ZonedDateTime next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = after.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
        continue;
      }
      boolean dom = days.get(t.getDayOfMonth());
      boolean dow = weekdays.get(t.getDayOfWeek().getValue() % 7);
      boolean dayOk = daysRestricted && weekdaysRestricted ? dom || dow : dom && dow;
      if (!dayOk) {
        t = t.withHour(0).withMinute(0).plusDays(1);
        continue;
      }
      if (!hours.get(t.getHour())) {
        t = t.withMinute(0).plusHours(1);
        continue;
      }
      if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
        continue;
      }
      return t;
    }
    throw new IllegalArgumentException("'" + text + "' never matches");
  }
}
