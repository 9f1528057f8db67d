package net.tinyisp.radius.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.wire.Chap;
import net.tinyisp.radius.wire.MsChapV2;
import net.tinyisp.radius.wire.TunnelPassword;
import net.tinyisp.radius.wire.VendorSpecific;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import net.tinyisp.radius.wire.UserPassword;

/**
 * Decides an Access-Request (RFC 2865 §4.1-§4.3) once the user has been looked up: MS-CHAPv2 (RFC 2548/2759), PAP
 * (§5.2) or CHAP-MD5 (§5.3), then the account's reply items. No sockets; the server does the I/O.
 */
final class AccessPolicy {
  sealed interface Outcome {}

  record Accept(List<RawAttribute> attributes) implements Outcome {}

  record Reject(RejectReason reason, String detail) implements Outcome {
    Reject(RejectReason reason) {
      this(reason, null);
    }
  }

  private static final int MICROSOFT = 311; // RFC 2548
  private static final int MS_CHAP_CHALLENGE = 11;
  private static final int MS_CHAP2_RESPONSE = 25;
  private static final int MS_CHAP2_SUCCESS = 26;
  private static final int MS_MPPE_ENCRYPTION_POLICY = 7;
  private static final int MS_MPPE_ENCRYPTION_TYPES = 8;
  private static final int MS_MPPE_SEND_KEY = 16;
  private static final int MS_MPPE_RECV_KEY = 17;
  private final java.util.concurrent.atomic.AtomicInteger salts = new java.util.concurrent.atomic.AtomicInteger(
      new java.security.SecureRandom().nextInt());

  private static RawAttribute microsoftAttribute(int type, byte[] value) {
    return new RawAttribute(StandardTypes.VENDOR_SPECIFIC, VendorSpecific.encode(
        new VendorSpecific.SubAttribute(MICROSOFT, type, value), VendorSpecific.Format.STANDARD));
  }

  private final AttributeCodec codec;
  /** Reply items that do not depend on the request (all but encrypted ones), encoded once. */
  private final java.util.concurrent.ConcurrentHashMap<ReplyItem, RawAttribute> encoded =
      new java.util.concurrent.ConcurrentHashMap<>();

  AccessPolicy(AttributeCodec codec) {
    this.codec = codec;
  }

  /** The User-Name, or null (then the request is rejected with NO_USER_NAME before any lookup). */
  static String userName(RadiusPacket request) {
    RawAttribute a = request.first(StandardTypes.USER_NAME);
    return a == null ? null : new String(a.value(), StandardCharsets.UTF_8);
  }

  /** The value of a Microsoft (RFC 2548) sub-attribute, or null. */
  private static byte[] microsoft(RadiusPacket request, int type) {
    for (RawAttribute a : request.all(StandardTypes.VENDOR_SPECIFIC)) {
      byte[] v = a.value();
      if (VendorSpecific.vendorId(v) != MICROSOFT) continue;
      List<VendorSpecific.SubAttribute> subs = VendorSpecific.parse(v, VendorSpecific.Format.STANDARD);
      if (subs == null) continue;
      for (VendorSpecific.SubAttribute s : subs) if (s.type() == type) return s.value();
    }
    return null;
  }

  Outcome decide(RadiusPacket request, byte[] secret, Optional<AuthAccount> found) {
    if (request.first(StandardTypes.EAP_MESSAGE) != null) return new Reject(RejectReason.UNSUPPORTED_METHOD);
    if (found.isEmpty()) return new Reject(RejectReason.UNKNOWN_USER);
    AuthAccount account = found.get();
    if (!account.enabled()) return new Reject(RejectReason.DISABLED);
    RawAttribute pap = request.first(StandardTypes.USER_PASSWORD);
    RawAttribute chap = request.first(StandardTypes.CHAP_PASSWORD);
    byte[] msChallenge = microsoft(request, MS_CHAP_CHALLENGE);
    byte[] msChap2Response = microsoft(request, MS_CHAP2_RESPONSE);
    RawAttribute msChap2Success = null;
    List<RawAttribute> mppe = new ArrayList<>(4);
    if (msChallenge != null && msChap2Response != null) {
      // RFC 2548 §2.3.2 / RFC 2759: the NT hash is derived from the cleartext, like CHAP
      if (account.cleartext() == null) return new Reject(RejectReason.CHAP_NEEDS_CLEARTEXT);
      byte[] success = MsChapV2.verify(msChallenge, msChap2Response, account.username(), account.cleartext());
      if (success == null) return new Reject(RejectReason.BAD_PASSWORD);
      msChap2Success = microsoftAttribute(MS_CHAP2_SUCCESS, success);
      // RFC 3079 session keys, salt-encrypted like Tunnel-Password (RFC 2548 §2.4.2-§2.4.3)
      MsChapV2.MppeKeys keys = MsChapV2.mppeKeys(account.cleartext(), java.util.Arrays.copyOfRange(msChap2Response,
          26, 50));
      mppe.add(microsoftAttribute(MS_MPPE_SEND_KEY, TunnelPassword.encrypt(keys.sendKey(), secret,
          request.authenticator(), salts.getAndIncrement())));
      mppe.add(microsoftAttribute(MS_MPPE_RECV_KEY, TunnelPassword.encrypt(keys.receiveKey(), secret,
          request.authenticator(), salts.getAndIncrement())));
      mppe.add(microsoftAttribute(MS_MPPE_ENCRYPTION_POLICY, new byte[] {0, 0, 0, 1})); // encryption allowed
      mppe.add(microsoftAttribute(MS_MPPE_ENCRYPTION_TYPES, new byte[] {0, 0, 0, 6})); // 40- or 128-bit
    } else if (pap != null) {
      String password = UserPassword.revealText(pap.value(), secret, request.authenticator());
      if (password == null || !account.verifyPassword().test(password)) return new Reject(RejectReason.BAD_PASSWORD);
    } else if (chap != null) {
      if (account.cleartext() == null) return new Reject(RejectReason.CHAP_NEEDS_CLEARTEXT);
      RawAttribute challenge = request.first(StandardTypes.CHAP_CHALLENGE);
      byte[] c = challenge != null ? challenge.value() : request.authenticator(); // RFC 2865 §5.40
      if (!Chap.verify(chap.value(), c, account.cleartext())) return new Reject(RejectReason.BAD_PASSWORD);
    } else {
      return new Reject(RejectReason.NO_CREDENTIALS);
    }
    List<RawAttribute> out = new ArrayList<>(account.replyItems().size() + 1);
    if (msChap2Success != null) out.add(msChap2Success);
    out.addAll(mppe);
    try {
      for (ReplyItem item : account.replyItems()) {
        out.add(encode(item, secret, request.authenticator()));
      }
    } catch (IllegalArgumentException e) {
      // a reply item we cannot send: rejecting is safer than accepting without, e.g., a speed limit
      return new Reject(RejectReason.INVALID_REPLY_ITEM, "user " + account.username() + ": " + e.getMessage());
    }
    return new Accept(out);
  }

  private RawAttribute encode(ReplyItem item, byte[] secret, byte[] requestAuthenticator) {
    RawAttribute a = encoded.get(item);
    if (a != null) return a;
    if (codec.needsSecret(item.attribute())) {
      return codec.encode(item.attribute(), item.value(), secret, requestAuthenticator);
    }
    a = codec.encode(item.attribute(), item.value());
    if (encoded.size() > 100_000) encoded.clear(); // bounded: plans are few, values per subscriber may not be
    encoded.put(item, a);
    return a;
  }
}
