package net.tinyisp.ppp.wire;

/** A PPP packet that cannot be parsed: the caller drops it and counts the reason. */
public final class MalformedPacketException extends RuntimeException {
  public MalformedPacketException(String message) {
    super(message);
  }
}
