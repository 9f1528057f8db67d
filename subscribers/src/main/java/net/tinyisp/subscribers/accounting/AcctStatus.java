package net.tinyisp.subscribers.accounting;

/** Acct-Status-Type (RFC 2866 §5.1) values the store acts on. */
public enum AcctStatus {
  START("Start", 1),
  STOP("Stop", 2),
  INTERIM_UPDATE("Interim-Update", 3),
  ACCOUNTING_ON("Accounting-On", 7),
  ACCOUNTING_OFF("Accounting-Off", 8);

  private final String dictionaryName;
  private final int code;

  AcctStatus(String dictionaryName, int code) {
    this.dictionaryName = dictionaryName;
    this.code = code;
  }

  public String dictionaryName() {
    return dictionaryName;
  }

  /** By dictionary name or by number (the server passes the number when its dictionary has no name). */
  public static AcctStatus parse(String text) {
    if (text == null) return null;
    for (AcctStatus s : values()) {
      if (s.dictionaryName.equalsIgnoreCase(text) || String.valueOf(s.code).equals(text)) return s;
    }
    return null;
  }
}
