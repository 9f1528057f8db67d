package net.tinyisp.radius.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * User-Password hiding (RFC 2865 §5.2): the password, padded with NULs to a multiple of 16 (at most 128 octets), is
 * XORed block by block with MD5(secret + previous block), the first "previous block" being the Request
 * Authenticator. Also the attribute flag {@code encrypt=1} of FreeRADIUS dictionaries.
 */
public final class UserPassword {
  private UserPassword() {}

  public static final int MAX_LENGTH = 128;

  public static byte[] hide(byte[] password, byte[] secret, byte[] requestAuthenticator) {
    if (password.length > MAX_LENGTH) {
      throw new IllegalArgumentException("a User-Password is at most 128 octets (RFC 2865 §5.2)");
    }
    int n = Math.max(16, (password.length + 15) / 16 * 16);
    byte[] out = Arrays.copyOf(password, n);
    MessageDigest md = Md5.digest();
    for (int i = 0; i < n; i += 16) {
      md.update(secret);
      if (i == 0) md.update(requestAuthenticator);
      else md.update(out, i - 16, 16); // c(i-1), already ciphered
      byte[] b = md.digest();
      for (int j = 0; j < 16; j++) out[i + j] ^= b[j];
    }
    return out;
  }

  /** Reveals the password; trailing NUL padding is removed. Returns null if the length is not 16..128 by 16. */
  public static byte[] reveal(byte[] hidden, byte[] secret, byte[] requestAuthenticator) {
    if (hidden.length < 16 || hidden.length > MAX_LENGTH || hidden.length % 16 != 0) return null;
    byte[] out = new byte[hidden.length];
    MessageDigest md = Md5.digest();
    for (int i = 0; i < hidden.length; i += 16) {
      md.update(secret);
      if (i == 0) md.update(requestAuthenticator);
      else md.update(hidden, i - 16, 16);
      byte[] b = md.digest();
      for (int j = 0; j < 16; j++) out[i + j] = (byte) (hidden[i + j] ^ b[j]);
    }
    int end = out.length;
    while (end > 0 && out[end - 1] == 0) end--;
    return Arrays.copyOf(out, end);
  }

  public static String revealText(byte[] hidden, byte[] secret, byte[] requestAuthenticator) {
    byte[] b = reveal(hidden, secret, requestAuthenticator);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
