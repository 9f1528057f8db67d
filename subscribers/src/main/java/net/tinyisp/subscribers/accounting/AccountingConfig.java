package net.tinyisp.subscribers.accounting;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.ZoneId;

/**
 * Accounting knobs (YAML {@code subscribers.accounting}).
 *
 * @param period {@code daily}, {@code weekly} (from Monday) or {@code monthly}
 * @param periodStartDay day of the month a monthly period starts (1..28)
 * @param periodZone time zone the period boundaries are in
 * @param defaultInterimInterval seconds assumed between Interim-Updates when the plan sets none
 * @param staleSlack seconds added to 2 x the interim interval before an open session is closed as stale
 * @param staleCheckSeconds how often to look for stale sessions
 * @param maxBatch most records committed in one transaction
 * @param commitTimeoutMillis how long a record may wait for its commit before the request goes unanswered (the
 *     NAS retransmits)
 * @param writers parallel group-commit writers on PostgreSQL (records sharded by username); SQLite always uses one
 */
public record AccountingConfig(
    @JsonProperty("period") UsagePeriod.Length period,
    @JsonProperty("period-start-day") Integer periodStartDay,
    @JsonProperty("period-zone") String periodZone,
    @JsonProperty("default-interim-interval") Integer defaultInterimInterval,
    @JsonProperty("stale-slack") Integer staleSlack,
    @JsonProperty("stale-check-seconds") Integer staleCheckSeconds,
    @JsonProperty("max-batch") Integer maxBatch,
    @JsonProperty("commit-timeout-millis") Integer commitTimeoutMillis,
    @JsonProperty("writers") Integer writers) {

  public AccountingConfig {
    if (period == null) period = UsagePeriod.Length.MONTHLY;
    if (periodStartDay == null) periodStartDay = 1;
    if (periodZone == null) periodZone = "UTC";
    if (defaultInterimInterval == null) defaultInterimInterval = 300;
    if (staleSlack == null) staleSlack = 60;
    if (staleCheckSeconds == null) staleCheckSeconds = 60;
    if (maxBatch == null) maxBatch = 512;
    if (commitTimeoutMillis == null) commitTimeoutMillis = 5000;
    if (writers == null) writers = 4;
    if (writers < 1 || writers > 64) throw new IllegalArgumentException("writers must be 1..64");
    try {
      ZoneId.of(periodZone);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("period-zone '" + periodZone + "' is not a time zone (e.g. UTC,"
          + " Europe/Berlin)");
    }
    if (defaultInterimInterval < 10) {
      throw new IllegalArgumentException("default-interim-interval must be at least 10 seconds");
    }
    if (staleSlack < 0 || staleCheckSeconds < 1 || maxBatch < 1 || commitTimeoutMillis < 100) {
      throw new IllegalArgumentException("stale-slack >= 0, stale-check-seconds >= 1, max-batch >= 1,"
          + " commit-timeout-millis >= 100");
    }
    usagePeriod(period, periodStartDay, periodZone); // validates the start day
  }

  public static AccountingConfig defaults() {
    return new AccountingConfig(null, null, null, null, null, null, null, null, null);
  }

  public UsagePeriod usagePeriod() {
    return usagePeriod(period, periodStartDay, periodZone);
  }

  private static UsagePeriod usagePeriod(UsagePeriod.Length length, int day, String zone) {
    return new UsagePeriod(length, length == UsagePeriod.Length.MONTHLY ? day : 1, ZoneId.of(zone));
  }
}
