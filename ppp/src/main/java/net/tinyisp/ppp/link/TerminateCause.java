package net.tinyisp.ppp.link;

/** Why a link ended, with its RFC 2866 §5.10 Acct-Terminate-Cause value. */
public enum TerminateCause {
  USER_REQUEST(1),
  LOST_CARRIER(2),
  IDLE_TIMEOUT(4),
  SESSION_TIMEOUT(5),
  ADMIN_RESET(6),
  NAS_ERROR(9),
  NAS_REQUEST(10),
  USER_ERROR(17);

  private final int radiusValue;

  TerminateCause(int radiusValue) {
    this.radiusValue = radiusValue;
  }

  public int radiusValue() {
    return radiusValue;
  }
}
