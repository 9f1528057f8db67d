package net.tinyisp.radius.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** MD5 and HMAC-MD5 (RFC 2104) as RADIUS uses them; HMAC is built on MessageDigest to skip the JCA Mac lookup. */
final class Md5 {
  private Md5() {}

  private static final MessageDigest PROTOTYPE;

  static {
    try {
      PROTOTYPE = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has MD5", e);
    }
  }

  /** A fresh MD5; cloning the prototype skips the provider lookup of getInstance on the per-packet path. */
  static MessageDigest digest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      try {
        return MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException n) {
        throw new AssertionError(n);
      }
    }
  }

  /** HMAC-MD5 of {@code data[0..len)} with {@code key}, written into {@code out} at {@code outOffset}. */
  static void hmac(byte[] key, byte[] data, int len, byte[] out, int outOffset) {
    MessageDigest md = digest();
    byte[] k = key.length > 64 ? md.digest(key) : key;
    byte[] pad = new byte[64];
    for (int i = 0; i < 64; i++) pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
    md.update(pad);
    md.update(data, 0, len);
    byte[] inner = md.digest();
    for (int i = 0; i < 64; i++) pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x5c);
    md.update(pad);
    md.update(inner);
    System.arraycopy(md.digest(), 0, out, outOffset, 16);
  }
}
