package net.tinyisp.ppp.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import net.tinyisp.ppp.wire.ControlPacket;
import net.tinyisp.ppp.wire.MalformedPacketException;

/**
 * RFC 1994 §4 CHAP packets. Challenge (1) and Response (2): Value-Size(1) Value Name; Success (3) and Failure (4):
 * a message filling the rest. With MD5 (algorithm 5) the Response Value is MD5(Identifier || secret || Challenge)
 * (§4.1); the RADIUS server checks it from CHAP-Password and CHAP-Challenge (RFC 2865 §5.3).
 */
public final class ChapPacket {
  public static final int CHALLENGE = 1;
  public static final int RESPONSE = 2;
  public static final int SUCCESS = 3;
  public static final int FAILURE = 4;

  private ChapPacket() {}

  public record ValueAndName(int code, int identifier, byte[] value, String name) {}

  public static ValueAndName parseValue(ControlPacket p) {
    if (p.code() != CHALLENGE && p.code() != RESPONSE) {
      throw new MalformedPacketException("not a Challenge or Response: code " + p.code());
    }
    byte[] d = p.data();
    if (d.length < 1) throw new MalformedPacketException("CHAP packet without Value-Size");
    int size = d[0] & 0xff;
    if (size == 0 || 1 + size > d.length) throw new MalformedPacketException("CHAP Value-Size " + size + " invalid");
    byte[] value = java.util.Arrays.copyOfRange(d, 1, 1 + size);
    String name = new String(d, 1 + size, d.length - 1 - size, StandardCharsets.UTF_8);
    return new ValueAndName(p.code(), p.identifier(), value, name);
  }

  public static ControlPacket value(int code, int identifier, byte[] value, String name) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (value.length == 0 || value.length > 255) throw new IllegalArgumentException("CHAP Value is 1..255 octets");
    byte[] d = new byte[1 + value.length + n.length];
    d[0] = (byte) value.length;
    System.arraycopy(value, 0, d, 1, value.length);
    System.arraycopy(n, 0, d, 1 + value.length, n.length);
    return new ControlPacket(code, identifier, d);
  }

  public static ControlPacket result(boolean success, int identifier, String message) {
    return new ControlPacket(success ? SUCCESS : FAILURE, identifier, message.getBytes(StandardCharsets.UTF_8));
  }

  /** §4.1 with MD5: what a peer that knows {@code secret} answers to {@code challenge} with this identifier. */
  public static byte[] md5Response(int identifier, byte[] secret, byte[] challenge) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update((byte) identifier);
      md5.update(secret);
      md5.update(challenge);
      return md5.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every Java runtime", e);
    }
  }
}
