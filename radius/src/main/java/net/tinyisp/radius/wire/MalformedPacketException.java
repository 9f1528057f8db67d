package net.tinyisp.radius.wire;

/** A datagram that is not a RADIUS packet by RFC 2865 §3/§5; the receiver silently discards it (and counts). */
public final class MalformedPacketException extends Exception {
  public MalformedPacketException(String message) {
    super(message, null, false, false);
  }
}
