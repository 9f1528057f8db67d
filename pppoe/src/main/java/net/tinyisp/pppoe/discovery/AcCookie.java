package net.tinyisp.pppoe.discovery;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.tinyisp.pppoe.wire.MacAddress;

/**
 * The AC-Cookie (RFC 2516 §5.2: "used to aid in protecting against denial of service attacks"): a minute counter
 * and an HMAC-SHA256 of (client MAC, counter) under a secret. A PADR is only served if it returns a cookie made for
 * its own source MAC within the last two minutes, so PADRs from spoofed MACs cost one HMAC and no state.
 */
final class AcCookie {
  private static final long MINUTE = 60_000_000_000L;
  private final SecretKeySpec key;

  AcCookie(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  byte[] make(MacAddress client, long nowNanos) {
    int epoch = (int) (nowNanos / MINUTE);
    byte[] mac = hmac(client, epoch);
    return ByteBuffer.allocate(20).putInt(epoch).put(mac, 0, 16).array();
  }

  boolean valid(MacAddress client, byte[] cookie, long nowNanos) {
    if (cookie == null || cookie.length != 20) return false;
    ByteBuffer b = ByteBuffer.wrap(cookie);
    int epoch = b.getInt();
    int current = (int) (nowNanos / MINUTE);
    if (epoch > current || current - epoch > 2) return false;
    byte[] expected = java.util.Arrays.copyOf(hmac(client, epoch), 16);
    return MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(cookie, 4, 20));
  }

  private byte[] hmac(MacAddress client, int epoch) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      m.update(client.bytes());
      m.update(ByteBuffer.allocate(4).putInt(epoch).array());
      return m.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
    }
  }
}
