package net.tinyisp.radius.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RadiusPacketTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET = "xyzzy5461".getBytes(StandardCharsets.US_ASCII);

  /** RFC 2865 §7.1: User nemo, password arctangent, NAS 192.168.1.16 port 3. */
  private static final byte[] RFC2865_7_1_REQUEST = HEX.parseHex(
      "01000038" + "0f403f9473978057bd83d5cb98f4227a"
          + "01066e656d6f" // User-Name "nemo"
          + "02120dbe708d93d413ce3196e43f782a0aee" // User-Password, hidden
          + "0406c0a80110" // NAS-IP-Address 192.168.1.16
          + "050600000003"); // NAS-Port 3

  /** The Access-Accept of the same example: Service-Type Login, Login-Service Telnet, Login-IP-Host 192.168.1.3. */
  private static final byte[] RFC2865_7_1_ACCEPT = HEX.parseHex(
      "02000026" + "86fe220e7624ba2a1005f6bf9b55e0b2"
          + "060600000001" + "0f0600000000" + "0e06c0a80103");

  @Test
  void parsesTheRfc2865Example_andRevealsThePassword() throws Exception {
    RadiusPacket p = RadiusPacket.parse(RFC2865_7_1_REQUEST);
    assertThat(p.knownCode()).isEqualTo(Code.ACCESS_REQUEST);
    assertThat(p.attributes()).hasSize(4);
    assertThat(new String(p.first(StandardTypes.USER_NAME).value(), StandardCharsets.UTF_8)).isEqualTo("nemo");
    assertThat(UserPassword.revealText(p.first(StandardTypes.USER_PASSWORD).value(), SECRET, p.authenticator()))
        .isEqualTo("arctangent");
    assertThat(UserPassword.hide("arctangent".getBytes(StandardCharsets.UTF_8), SECRET, p.authenticator()))
        .isEqualTo(p.first(StandardTypes.USER_PASSWORD).value());
    assertThat(p.toWire()).isEqualTo(RFC2865_7_1_REQUEST);
  }

  @Test
  void signsTheRfc2865ExampleResponse() throws Exception {
    RadiusPacket request = RadiusPacket.parse(RFC2865_7_1_REQUEST);
    RadiusPacket accept = RadiusPacket.parse(RFC2865_7_1_ACCEPT);
    RadiusPacket unsigned = new RadiusPacket(accept.code(), accept.identifier(), new byte[16], accept.attributes());
    byte[] wire = Authenticators.encodeResponse(unsigned, request.authenticator(), SECRET, false);
    assertThat(HEX.formatHex(wire)).isEqualTo(HEX.formatHex(RFC2865_7_1_ACCEPT));
    assertThat(Authenticators.verifyResponseAuthenticator(wire, wire.length, request.authenticator(), SECRET))
        .isTrue();
  }

  @Test
  void messageAuthenticatorFirstInResponses_andVerifies() throws Exception {
    RadiusPacket request = RadiusPacket.parse(RFC2865_7_1_REQUEST);
    RadiusPacket reply = new RadiusPacket(Code.ACCESS_ACCEPT, 0, new byte[16], List.of());
    byte[] wire = Authenticators.encodeResponse(reply, request.authenticator(), SECRET, true);
    assertThat(wire[20]).isEqualTo((byte) StandardTypes.MESSAGE_AUTHENTICATOR);
    assertThat(Authenticators.checkResponseMessageAuthenticator(wire, wire.length, request.authenticator(), SECRET))
        .isEqualTo(Authenticators.Check.VALID);
    wire[30] ^= 1;
    assertThat(Authenticators.checkResponseMessageAuthenticator(wire, wire.length, request.authenticator(), SECRET))
        .isEqualTo(Authenticators.Check.INVALID);
  }

  @Test
  void accountingRequestAuthenticatorAndMessageAuthenticator() throws Exception {
    RadiusPacket acct = new RadiusPacket(Code.ACCOUNTING_REQUEST, 7, new byte[16],
        List.of(new RawAttribute(StandardTypes.ACCT_STATUS_TYPE, new byte[] {0, 0, 0, 1})));
    byte[] wire = Authenticators.encodeRequest(acct, SECRET, true);
    assertThat(Authenticators.verifyComputedRequestAuthenticator(wire, wire.length, SECRET)).isTrue();
    assertThat(Authenticators.checkRequestMessageAuthenticator(wire, wire.length, SECRET))
        .isEqualTo(Authenticators.Check.VALID);
    assertThat(Authenticators.verifyComputedRequestAuthenticator(wire, wire.length, "other".getBytes())).isFalse();
  }

  @Test
  void chapVerifiesAgainstTheRequestAuthenticatorOrChallenge() {
    byte[] challenge = HEX.parseHex("00112233445566778899aabbccddeeff");
    byte[] resp = Chap.response(42, challenge, "secret-pass");
    assertThat(Chap.verify(resp, challenge, "secret-pass")).isTrue();
    assertThat(Chap.verify(resp, challenge, "wrong")).isFalse();
  }

  @Test
  void tunnelPasswordRoundTrips() {
    byte[] auth = HEX.parseHex("0f403f9473978057bd83d5cb98f4227a");
    byte[] enc = TunnelPassword.encrypt("tunnel-secret".getBytes(), SECRET, auth, 0x1234);
    assertThat(enc[0] & 0x80).isEqualTo(0x80); // RFC 2868 §3.5: the Salt's most significant bit is set
    assertThat(new String(TunnelPassword.decrypt(enc, SECRET, auth))).isEqualTo("tunnel-secret");
  }

  @Test
  void malformedDatagramsAreNamed() {
    assertThatThrownBy(() -> RadiusPacket.parse(new byte[19])).hasMessageContaining("shorter than the 20-octet");
    byte[] shortLen = RFC2865_7_1_REQUEST.clone();
    shortLen[3] = 19;
    assertThatThrownBy(() -> RadiusPacket.parse(shortLen)).hasMessageContaining("outside 20..4096");
    byte[] longLen = RFC2865_7_1_REQUEST.clone();
    longLen[3] = 0x40;
    assertThatThrownBy(() -> RadiusPacket.parse(longLen)).hasMessageContaining("exceeds");
    byte[] badAttr = RFC2865_7_1_REQUEST.clone();
    badAttr[21] = 1;
    assertThatThrownBy(() -> RadiusPacket.parse(badAttr)).hasMessageContaining("Length 1 < 2");
    byte[] overrun = RFC2865_7_1_REQUEST.clone();
    overrun[51] = 9; // NAS-Port length runs past the end
    assertThatThrownBy(() -> RadiusPacket.parse(overrun)).hasMessageContaining("runs past the end");
  }

  @Test
  void paddingPastLengthIsIgnored() throws Exception {
    byte[] padded = java.util.Arrays.copyOf(RFC2865_7_1_REQUEST, RFC2865_7_1_REQUEST.length + 10);
    assertThat(RadiusPacket.parse(padded).attributes()).hasSize(4);
  }
}
