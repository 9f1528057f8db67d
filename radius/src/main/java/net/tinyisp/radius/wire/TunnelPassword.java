package net.tinyisp.radius.wire;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Tunnel-Password salt encryption (RFC 2868 §3.5; FreeRADIUS flag {@code encrypt=2}): a 2-octet Salt whose first
 * bit is set, then the length-prefixed password padded to 16 and XORed with MD5(secret + RequestAuth + Salt), then
 * MD5(secret + previous block). The Tag octet, if any, is handled by the caller.
 */
public final class TunnelPassword {
  private TunnelPassword() {}

  public static byte[] encrypt(byte[] password, byte[] secret, byte[] requestAuthenticator, int salt) {
    if (password.length > 239) throw new IllegalArgumentException("a Tunnel-Password is at most 239 octets");
    int n = (password.length + 1 + 15) / 16 * 16;
    byte[] plain = new byte[n];
    plain[0] = (byte) password.length;
    System.arraycopy(password, 0, plain, 1, password.length);
    byte[] out = new byte[2 + n];
    out[0] = (byte) (0x80 | (salt >> 8 & 0x7f));
    out[1] = (byte) salt;
    MessageDigest md = Md5.digest();
    for (int i = 0; i < n; i += 16) {
      md.update(secret);
      if (i == 0) {
        md.update(requestAuthenticator);
        md.update(out, 0, 2);
      } else {
        md.update(out, 2 + i - 16, 16);
      }
      byte[] b = md.digest();
      for (int j = 0; j < 16; j++) out[2 + i + j] = (byte) (plain[i + j] ^ b[j]);
    }
    return out;
  }

  /** null when the value is not a well-formed encrypted Tunnel-Password. */
  public static byte[] decrypt(byte[] value, byte[] secret, byte[] requestAuthenticator) {
    if (value.length < 18 || (value.length - 2) % 16 != 0) return null;
    int n = value.length - 2;
    byte[] plain = new byte[n];
    MessageDigest md = Md5.digest();
    for (int i = 0; i < n; i += 16) {
      md.update(secret);
      if (i == 0) {
        md.update(requestAuthenticator);
        md.update(value, 0, 2);
      } else {
        md.update(value, 2 + i - 16, 16);
      }
      byte[] b = md.digest();
      for (int j = 0; j < 16; j++) plain[i + j] = (byte) (value[2 + i + j] ^ b[j]);
    }
    int len = plain[0] & 0xff;
    if (len > n - 1) return null;
    return Arrays.copyOfRange(plain, 1, 1 + len);
  }
}
