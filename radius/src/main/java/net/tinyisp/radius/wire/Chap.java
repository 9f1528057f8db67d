package net.tinyisp.radius.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * CHAP-MD5 verification (RFC 2865 §5.3, RFC 1994 §4.1): CHAP-Password is the CHAP Ident octet followed by the
 * 16-octet response MD5(Ident + password + challenge); the challenge is CHAP-Challenge if present, else the
 * Request Authenticator (RFC 2865 §5.40).
 */
public final class Chap {
  private Chap() {}

  public static boolean verify(byte[] chapPassword, byte[] challenge, String cleartext) {
    if (chapPassword.length != 17 || challenge.length == 0) return false;
    MessageDigest md = Md5.digest();
    md.update(chapPassword[0]);
    md.update(cleartext.getBytes(StandardCharsets.UTF_8));
    md.update(challenge);
    return MessageDigest.isEqual(md.digest(), java.util.Arrays.copyOfRange(chapPassword, 1, 17));
  }

  /** Builds a CHAP-Password value, as a NAS does; for clients and tests. */
  public static byte[] response(int ident, byte[] challenge, String cleartext) {
    MessageDigest md = Md5.digest();
    md.update((byte) ident);
    md.update(cleartext.getBytes(StandardCharsets.UTF_8));
    md.update(challenge);
    byte[] out = new byte[17];
    out[0] = (byte) ident;
    System.arraycopy(md.digest(), 0, out, 1, 16);
    return out;
  }
}
