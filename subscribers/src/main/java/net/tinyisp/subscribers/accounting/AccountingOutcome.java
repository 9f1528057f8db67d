package net.tinyisp.subscribers.accounting;

/** Why an Accounting-Request changed nothing, or what it recorded. One metric per constant. */
public enum AccountingOutcome {
  RECORDED("tinyisp_subscribers_acct_recorded", "Accounting-Requests committed to the store"),
  DROPPED_UNKNOWN_STATUS("tinyisp_subscribers_acct_dropped_unknown_status",
      "acknowledged but not recorded: Acct-Status-Type missing or not Start/Interim-Update/Stop/Accounting-On/Off"),
  DROPPED_NO_SESSION_ID("tinyisp_subscribers_acct_dropped_no_session_id",
      "acknowledged but not recorded: Acct-Session-Id missing (RFC 2866 §5.5 requires it)"),
  DROPPED_NO_USERNAME("tinyisp_subscribers_acct_dropped_no_username",
      "acknowledged but not recorded: User-Name missing, usage cannot be attributed"),
  DROPPED_BAD_COUNTER("tinyisp_subscribers_acct_dropped_bad_counter",
      "acknowledged but not recorded: an octet, gigaword or time counter is not a 32-bit unsigned number"),
  COUNTER_WRAPPED_32BIT("tinyisp_subscribers_acct_counter_wrapped",
      "a 32-bit octet counter without gigawords wrapped between two records (RFC 2869 §5.1); counted as one wrap"),
  COUNTER_WENT_BACKWARDS("tinyisp_subscribers_acct_counter_backwards",
      "a session's 64-bit counter was lower than before (NAS reset); counted from zero"),
  SESSION_REOPENED("tinyisp_subscribers_acct_session_reopened",
      "an Interim-Update arrived for a session closed as stale; reopened"),
  NAS_SESSIONS_CLOSED("tinyisp_subscribers_acct_nas_sessions_closed",
      "open sessions closed by Accounting-On/Off from their NAS (RFC 2866 §5.1)"),
  STALE_SESSIONS_CLOSED("tinyisp_subscribers_acct_stale_sessions_closed",
      "sessions closed because no record came for 2 x interim interval + slack");

  private final String metric;
  private final String description;

  AccountingOutcome(String metric, String description) {
    this.metric = metric;
    this.description = description;
  }

  public String metric() {
    return metric;
  }

  public String description() {
    return description;
  }
}
