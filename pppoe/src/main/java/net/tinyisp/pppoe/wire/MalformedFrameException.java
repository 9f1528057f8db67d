package net.tinyisp.pppoe.wire;

/** A PPPoE frame that cannot be used; {@code reason} names the drop counter. */
public final class MalformedFrameException extends RuntimeException {
  public enum Reason { SHORT, ETHERTYPE, VERSION, LENGTH, TAG }

  private final Reason reason;

  public MalformedFrameException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
