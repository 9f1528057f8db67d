package net.tinyisp.subscribers.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hash schemes the store writes and reads.
 *
 * <ul>
 *   <li>{@code $pbkdf2-sha256$ITER$SALT$HASH} (PBKDF2-HMAC-SHA256, RFC 8018 §5.2; base64 without padding), what
 *       tinyisp writes.</li>
 *   <li>{@code {SSHA}}, {@code {SSHA256}}, {@code {SSHA512}}, {@code {SHA}}: the salted/unsalted SHA forms LDAP
 *       directories keep in {@code userPassword}, read so that an LDAP or imported user keeps working.</li>
 * </ul>
 */
public final class PasswordHash {
  private static final String PBKDF2 = "$pbkdf2-sha256$";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

  private PasswordHash() {}

  public static String pbkdf2(String password, int iterations) {
    if (iterations < 1000) {
      throw new IllegalArgumentException("PBKDF2 needs at least 1000 iterations");
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] dk = derive(password, salt, iterations);
    return PBKDF2 + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(dk);
  }

  static void requireKnownScheme(String encoded) {
    if (!(encoded.startsWith(PBKDF2) || encoded.startsWith("{SSHA}") || encoded.startsWith("{SSHA256}")
        || encoded.startsWith("{SSHA512}") || encoded.startsWith("{SHA}"))) {
      throw new IllegalArgumentException("unknown password scheme (expected $pbkdf2-sha256$, {SSHA}, {SSHA256},"
          + " {SSHA512}, {SHA} or {CLEARTEXT})");
    }
  }

  public static boolean verify(String encoded, String candidate) {
    try {
      if (encoded.startsWith(PBKDF2)) {
        String[] f = encoded.substring(PBKDF2.length()).split("\\$", -1);
        if (f.length != 3) return false;
        int iterations = Integer.parseInt(f[0]);
        byte[] salt = Base64.getDecoder().decode(f[1]);
        byte[] want = Base64.getDecoder().decode(f[2]);
        return MessageDigest.isEqual(want, derive(candidate, salt, iterations));
      }
      if (encoded.startsWith("{SHA}")) {
        return digestMatches("SHA-1", Base64.getDecoder().decode(encoded.substring(5)), 20, candidate);
      }
      if (encoded.startsWith("{SSHA}")) {
        return digestMatches("SHA-1", Base64.getDecoder().decode(encoded.substring(6)), 20, candidate);
      }
      if (encoded.startsWith("{SSHA256}")) {
        return digestMatches("SHA-256", Base64.getDecoder().decode(encoded.substring(9)), 32, candidate);
      }
      if (encoded.startsWith("{SSHA512}")) {
        return digestMatches("SHA-512", Base64.getDecoder().decode(encoded.substring(9)), 64, candidate);
      }
      return false;
    } catch (IllegalArgumentException e) { // bad base64 or number: a corrupt entry never matches
      return false;
    }
  }

  /** {@code {SSHA...}} is base64(digest(password || salt) || salt) (RFC 2307 practice, OpenLDAP slappasswd). */
  private static boolean digestMatches(String algorithm, byte[] stored, int digestLength, String candidate) {
    if (stored.length < digestLength) return false;
    byte[] want = Arrays.copyOf(stored, digestLength);
    byte[] salt = Arrays.copyOfRange(stored, digestLength, stored.length);
    try {
      MessageDigest md = MessageDigest.getInstance(algorithm);
      md.update(candidate.getBytes(StandardCharsets.UTF_8));
      md.update(salt);
      return MessageDigest.isEqual(want, md.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds {@code {SSHA256}} for tests and for operators who want LDAP-compatible entries. */
  public static String ssha256(String password) {
    byte[] salt = new byte[8];
    RANDOM.nextBytes(salt);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(password.getBytes(StandardCharsets.UTF_8));
      md.update(salt);
      byte[] d = md.digest();
      byte[] out = Arrays.copyOf(d, d.length + salt.length);
      System.arraycopy(salt, 0, out, d.length, salt.length);
      return "{SSHA256}" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    if (iterations < 1 || iterations > 10_000_000) {
      throw new IllegalArgumentException("iterations");
    }
    try {
      // PBEKeySpec takes chars; HMAC-SHA256 over UTF-8 via the provider's PBKDF2WithHmacSHA256
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      return f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
