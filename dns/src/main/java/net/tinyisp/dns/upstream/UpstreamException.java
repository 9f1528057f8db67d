package net.tinyisp.dns.upstream;

/** Why an upstream gave no usable answer; {@code reason} is a metrics label. */
public final class UpstreamException extends RuntimeException {
  public enum Reason { TIMEOUT, MISMATCH, MALFORMED, OVERSIZED, TRANSPORT, UNAVAILABLE }

  private final Reason reason;

  public UpstreamException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public UpstreamException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
