package net.tinyisp.radius.wire;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Request and Response Authenticators (RFC 2865 §3, RFC 2866 §3, RFC 5176 §2.3) and Message-Authenticator
 * (RFC 2869 §5.14, RFC 3579 §3.2) over the wire form of a packet. All methods work on byte arrays so that the
 * server verifies exactly the octets it received.
 */
public final class Authenticators {
  private Authenticators() {}

  public enum Check { ABSENT, VALID, INVALID }

  private static final byte[] ZERO16 = new byte[16];

  /**
   * Encodes a request. Access-Request and Status-Server keep the random authenticator the packet carries; the
   * others get the MD5 Request Authenticator. With {@code messageAuthenticator} a Message-Authenticator is put
   * first (the BlastRADIUS advice: first, so no attacker-chosen prefix precedes it) unless one is already present.
   */
  public static byte[] encodeRequest(RadiusPacket p, byte[] secret, boolean messageAuthenticator) {
    RadiusPacket withMa = messageAuthenticator ? withMessageAuthenticatorFirst(p) : p;
    byte[] wire = withMa.toWire();
    Code code = Code.of(p.code());
    boolean computed = code != null && code.hasComputedRequestAuthenticator();
    if (computed) System.arraycopy(ZERO16, 0, wire, 4, 16);
    int ma = messageAuthenticatorOffset(wire, wire.length);
    if (ma >= 0) {
      System.arraycopy(ZERO16, 0, wire, ma, 16);
      // RFC 2869 §5.14 / RFC 5176 §3.5: for Accounting and CoA requests the authenticator field is zero here
      Md5.hmac(secret, wire, wire.length, wire, ma);
    }
    if (computed) {
      MessageDigest md = Md5.digest();
      md.update(wire);
      md.update(secret);
      System.arraycopy(md.digest(), 0, wire, 4, 16);
    }
    return wire;
  }

  /**
   * Encodes a response to a request with {@code requestAuthenticator}: Message-Authenticator first when asked, then
   * the Response Authenticator MD5(Code+ID+Length+RequestAuth+Attributes+Secret) (RFC 2865 §3).
   *
   * <p>The authenticator field during the Message-Authenticator HMAC: the Request Authenticator for Access-Accept,
   * -Reject, -Challenge, CoA/Disconnect ACK/NAK (RFC 2869 §5.14, RFC 5176 §3.5) and any answer to Status-Server
   * (RFC 5997 §3); sixteen zeros for Accounting-Response, which no RFC defines and FreeRADIUS 3 sends and verifies
   * that way. {@link #checkResponseMessageAuthenticator} accepts both forms.
   */
  public static byte[] encodeResponse(RadiusPacket reply, int requestCode, byte[] requestAuthenticator,
      byte[] secret, boolean messageAuthenticator) {
    RadiusPacket p = messageAuthenticator ? withMessageAuthenticatorFirst(reply) : reply;
    byte[] wire = p.toWire();
    System.arraycopy(zeroFieldForMessageAuthenticator(reply.code(), requestCode) ? ZERO16 : requestAuthenticator, 0,
        wire, 4, 16);
    int ma = messageAuthenticatorOffset(wire, wire.length);
    if (ma >= 0) {
      System.arraycopy(ZERO16, 0, wire, ma, 16);
      Md5.hmac(secret, wire, wire.length, wire, ma);
    }
    System.arraycopy(requestAuthenticator, 0, wire, 4, 16);
    MessageDigest md = Md5.digest();
    md.update(wire);
    md.update(secret);
    System.arraycopy(md.digest(), 0, wire, 4, 16);
    return wire;
  }

  /** A response to an Access-Request (the common case). */
  public static byte[] encodeResponse(RadiusPacket reply, byte[] requestAuthenticator, byte[] secret,
      boolean messageAuthenticator) {
    return encodeResponse(reply, Code.ACCESS_REQUEST.value(), requestAuthenticator, secret, messageAuthenticator);
  }

  static boolean zeroFieldForMessageAuthenticator(int replyCode, int requestCode) {
    if (requestCode == Code.STATUS_SERVER.value()) return false;
    return replyCode == Code.ACCOUNTING_RESPONSE.value();
  }

  private static RadiusPacket withMessageAuthenticatorFirst(RadiusPacket p) {
    if (p.first(StandardTypes.MESSAGE_AUTHENTICATOR) != null) return p;
    List<RawAttribute> attrs = new ArrayList<>(p.attributes().size() + 1);
    attrs.add(new RawAttribute(StandardTypes.MESSAGE_AUTHENTICATOR, ZERO16));
    attrs.addAll(p.attributes());
    return new RadiusPacket(p.code(), p.identifier(), p.authenticator(), attrs);
  }

  /** RFC 2866 §3 / RFC 5176 §2.3: the Request Authenticator of an Accounting, CoA or Disconnect request. */
  public static boolean verifyComputedRequestAuthenticator(byte[] wire, int len, byte[] secret) {
    MessageDigest md = Md5.digest();
    md.update(wire, 0, 4);
    md.update(ZERO16);
    md.update(wire, 20, len - 20);
    md.update(secret);
    return MessageDigest.isEqual(md.digest(), java.util.Arrays.copyOfRange(wire, 4, 20));
  }

  /**
   * Checks the Message-Authenticator of a received request. For requests with a computed authenticator the field
   * counts as zero (RFC 5176 §3.5); for Access-Request and Status-Server it is the random one as received.
   */
  public static Check checkRequestMessageAuthenticator(byte[] wire, int len, byte[] secret) {
    Code code = Code.of(wire[0] & 0xff);
    byte[] field = code != null && code.hasComputedRequestAuthenticator() ? ZERO16 : null;
    return checkMessageAuthenticator(wire, len, secret, field);
  }

  /** Checks a response: Response Authenticator must match; Message-Authenticator reported separately. */
  public static boolean verifyResponseAuthenticator(byte[] wire, int len, byte[] requestAuthenticator,
      byte[] secret) {
    MessageDigest md = Md5.digest();
    md.update(wire, 0, 4);
    md.update(requestAuthenticator);
    md.update(wire, 20, len - 20);
    md.update(secret);
    return MessageDigest.isEqual(md.digest(), java.util.Arrays.copyOfRange(wire, 4, 20));
  }

  /** Accepts the Request Authenticator or zeros in the field (see {@link #encodeResponse}). */
  public static Check checkResponseMessageAuthenticator(byte[] wire, int len, byte[] requestAuthenticator,
      byte[] secret) {
    Check c = checkMessageAuthenticator(wire, len, secret, requestAuthenticator);
    return c == Check.INVALID && checkMessageAuthenticator(wire, len, secret, ZERO16) == Check.VALID ? Check.VALID : c;
  }

  /** {@code field}: what the authenticator field holds during the HMAC, or null for the octets as received. */
  private static Check checkMessageAuthenticator(byte[] wire, int len, byte[] secret, byte[] field) {
    int ma = messageAuthenticatorOffset(wire, len);
    if (ma == -1) return Check.ABSENT;
    if (ma == -2) return Check.INVALID; // wrong length, RFC 2869 §5.14: Length = 18
    byte[] copy = java.util.Arrays.copyOf(wire, len);
    if (field != null) System.arraycopy(field, 0, copy, 4, 16);
    System.arraycopy(ZERO16, 0, copy, ma, 16);
    byte[] mac = new byte[16];
    Md5.hmac(secret, copy, len, mac, 0);
    return MessageDigest.isEqual(mac, java.util.Arrays.copyOfRange(wire, ma, ma + 16)) ? Check.VALID
        : Check.INVALID;
  }

  /** Offset of the first Message-Authenticator value, -1 if absent, -2 if present with a length other than 18. */
  static int messageAuthenticatorOffset(byte[] wire, int len) {
    int p = RadiusPacket.HEADER_LENGTH;
    while (p + 2 <= len) {
      int alen = wire[p + 1] & 0xff;
      if (alen < 2) return -1;
      if ((wire[p] & 0xff) == StandardTypes.MESSAGE_AUTHENTICATOR) return alen == 18 ? p + 2 : -2;
      p += alen;
    }
    return -1;
  }
}
