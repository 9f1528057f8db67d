package net.tinyisp.radius.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * MS-CHAPv2 (RFC 2759 §8) as RADIUS carries it (RFC 2548 §2.3: MS-CHAP-Challenge, MS-CHAP2-Response,
 * MS-CHAP2-Success). Used by the server to verify a peer and by clients and tests to answer as a peer.
 */
public final class MsChapV2 {
  private MsChapV2() {}

  private static final byte[] MAGIC1 = "Magic server to client signing constant".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAGIC2 = "Pad to make it do more than one iteration".getBytes(StandardCharsets.US_ASCII);

  /** RFC 2759 §8.3 NtPasswordHash: MD4 of the UTF-16LE password. */
  public static byte[] ntPasswordHash(String password) {
    return Md4.digest(password.getBytes(StandardCharsets.UTF_16LE));
  }

  /** RFC 2759 §8.2 ChallengeHash; the user name without a "DOMAIN\" prefix. */
  public static byte[] challengeHash(byte[] peerChallenge, byte[] authenticatorChallenge, String userName) {
    String user = userName.substring(userName.lastIndexOf('\\') + 1);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-1");
      sha.update(peerChallenge);
      sha.update(authenticatorChallenge);
      sha.update(user.getBytes(StandardCharsets.US_ASCII));
      return Arrays.copyOf(sha.digest(), 8);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** RFC 2759 §8.1 GenerateNTResponse: 24 octets. */
  public static byte[] ntResponse(byte[] authenticatorChallenge, byte[] peerChallenge, String userName,
      String password) {
    return challengeResponse(challengeHash(peerChallenge, authenticatorChallenge, userName),
        ntPasswordHash(password));
  }

  /** RFC 2759 §8.5 ChallengeResponse: the hash padded to 21 octets, three DES keys of 7 octets each. */
  static byte[] challengeResponse(byte[] challenge, byte[] passwordHash) {
    byte[] z = Arrays.copyOf(passwordHash, 21);
    byte[] out = new byte[24];
    try {
      for (int i = 0; i < 3; i++) {
        Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
        des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(desKey(z, i * 7), "DES"));
        System.arraycopy(des.doFinal(challenge), 0, out, i * 8, 8);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DES is unavailable in this JDK", e);
    }
    return out;
  }

  /** RFC 2759 §8.6: spreads 56 key bits over 8 octets (parity bits left zero; DES ignores them). */
  private static byte[] desKey(byte[] k, int o) {
    byte[] key = new byte[8];
    key[0] = (byte) (k[o] & 0xfe);
    for (int i = 1; i < 7; i++) {
      key[i] = (byte) (((k[o + i - 1] & 0xff) << (8 - i) | (k[o + i] & 0xff) >>> i) & 0xfe);
    }
    key[7] = (byte) ((k[o + 6] & 0xff) << 1);
    return key;
  }

  /** RFC 2759 §8.7 GenerateAuthenticatorResponse: {@code S=} and 40 upper-case hex digits. */
  public static String authenticatorResponse(String password, byte[] ntResponse, byte[] peerChallenge,
      byte[] authenticatorChallenge, String userName) {
    try {
      byte[] hashHash = Md4.digest(ntPasswordHash(password));
      MessageDigest sha = MessageDigest.getInstance("SHA-1");
      sha.update(hashHash);
      sha.update(ntResponse);
      sha.update(MAGIC1);
      byte[] digest = sha.digest();
      sha.update(digest);
      sha.update(challengeHash(peerChallenge, authenticatorChallenge, userName));
      sha.update(MAGIC2);
      return "S=" + HexFormat.of().withUpperCase().formatHex(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static final byte[] MPPE_MAGIC1 = "This is the MPPE Master Key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MPPE_MAGIC2 = ("On the client side, this is the send key; on the server side, it is the"
      + " receive key.").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MPPE_MAGIC3 = ("On the client side, this is the receive key; on the server side, it is the"
      + " send key.").getBytes(StandardCharsets.US_ASCII);

  /** The two 16-octet MPPE session keys as the server (NAS side of the RADIUS exchange) sends them. */
  public record MppeKeys(byte[] sendKey, byte[] receiveKey) {}

  /** RFC 3079 §3.3-§3.4: MasterKey from the password hash hash and NT-Response, then the asymmetric start keys. */
  public static MppeKeys mppeKeys(String password, byte[] ntResponse) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-1");
      sha.update(Md4.digest(ntPasswordHash(password)));
      sha.update(ntResponse);
      sha.update(MPPE_MAGIC1);
      byte[] master = Arrays.copyOf(sha.digest(), 16);
      // server side: send key uses Magic3, receive key Magic2 (RFC 3079 §3.4 GetAsymmetricStartKey)
      return new MppeKeys(startKey(sha, master, MPPE_MAGIC3), startKey(sha, master, MPPE_MAGIC2));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] startKey(MessageDigest sha, byte[] master, byte[] magic) {
    sha.update(master);
    sha.update(new byte[40]); // SHSpad1
    sha.update(magic);
    byte[] pad2 = new byte[40];
    Arrays.fill(pad2, (byte) 0xf2);
    sha.update(pad2);
    return Arrays.copyOf(sha.digest(), 16);
  }

  /**
   * Builds the 50-octet MS-CHAP2-Response (RFC 2548 §2.3.2): Ident, Flags 0, Peer-Challenge, 8 reserved zeros,
   * NT-Response.
   */
  public static byte[] response(int ident, byte[] peerChallenge, byte[] ntResponse) {
    byte[] out = new byte[50];
    out[0] = (byte) ident;
    System.arraycopy(peerChallenge, 0, out, 2, 16);
    System.arraycopy(ntResponse, 0, out, 26, 24);
    return out;
  }

  /** Verifies an MS-CHAP2-Response; returns the MS-CHAP2-Success value (Ident + "S=...") or null. */
  public static byte[] verify(byte[] authenticatorChallenge, byte[] chap2Response, String userName,
      String password) {
    if (authenticatorChallenge.length != 16 || chap2Response.length != 50) return null;
    byte[] peer = Arrays.copyOfRange(chap2Response, 2, 18);
    byte[] nt = Arrays.copyOfRange(chap2Response, 26, 50);
    byte[] expected = ntResponse(authenticatorChallenge, peer, userName, password);
    if (!MessageDigest.isEqual(expected, nt)) return null;
    byte[] s = authenticatorResponse(password, nt, peer, authenticatorChallenge, userName)
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[1 + s.length];
    out[0] = chap2Response[0];
    System.arraycopy(s, 0, out, 1, s.length);
    return out;
  }
}
