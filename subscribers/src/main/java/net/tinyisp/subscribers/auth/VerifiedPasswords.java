package net.tinyisp.subscribers.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers the last password that matched each stored hash, as an HMAC under a key that exists only in this
 * process, so that a NAS re-authenticating the same subscriber costs one HMAC instead of a full PBKDF2 run. A
 * changed stored hash invalidates the entry; nothing here is ever written to disk. Bounded: when full it is
 * cleared, which only costs PBKDF2 runs.
 */
final class VerifiedPasswords {
  private record Entry(String storedHash, byte[] mac) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final SecretKeySpec key;
  private final int capacity;

  VerifiedPasswords(int capacity) {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    this.key = new SecretKeySpec(k, "HmacSHA256");
    this.capacity = capacity;
  }

  boolean knownGood(String username, String storedHash, String candidate) {
    Entry e = entries.get(username);
    return e != null && e.storedHash.equals(storedHash) && MessageDigest.isEqual(e.mac, mac(candidate));
  }

  void remember(String username, String storedHash, String candidate) {
    if (entries.size() >= capacity) entries.clear();
    entries.put(username, new Entry(storedHash, mac(candidate)));
  }

  private byte[] mac(String candidate) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m.doFinal(candidate.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
