package net.tinyisp.radius.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MsChapV2Test {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /** RFC 1320 appendix A.5 test suite. */
  @Test
  void md4MatchesRfc1320() {
    assertThat(HEX.formatHex(Md4.digest(new byte[0]))).isEqualTo("31D6CFE0D16AE931B73C59D7E0C089C0");
    assertThat(HEX.formatHex(Md4.digest("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("A448017AAF21D8525FC10AE87AA6729D");
    assertThat(HEX.formatHex(Md4.digest(("1234567890".repeat(8)).getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("E33B4DDC9C38F2199C3E7B164FCC0536");
  }

  /** RFC 2759 §9.2 worked example. */
  @Test
  void rfc2759Example() {
    byte[] auth = HEX.parseHex("5B5D7C7D7B3F2F3E3C2C602132262628");
    byte[] peer = HEX.parseHex("21402324255E262A28295F2B3A337C7E");
    assertThat(HEX.formatHex(MsChapV2.challengeHash(peer, auth, "User"))).isEqualTo("D02E4386BCE91226");
    assertThat(HEX.formatHex(MsChapV2.ntPasswordHash("clientPass"))).isEqualTo("44EBBA8D5312B8D611474411F56989AE");
    byte[] nt = MsChapV2.ntResponse(auth, peer, "User", "clientPass");
    assertThat(HEX.formatHex(nt)).isEqualTo("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
    assertThat(MsChapV2.authenticatorResponse("clientPass", nt, peer, auth, "User"))
        .isEqualTo("S=407A5589115FD0D6209F510FE9C04566932CDA56");
    byte[] success = MsChapV2.verify(auth, MsChapV2.response(7, peer, nt), "User", "clientPass");
    assertThat(success[0]).isEqualTo((byte) 7);
    assertThat(new String(success, 1, 42, StandardCharsets.US_ASCII))
        .isEqualTo("S=407A5589115FD0D6209F510FE9C04566932CDA56");
    assertThat(MsChapV2.verify(auth, MsChapV2.response(7, peer, nt), "User", "wrong")).isNull();
  }
}
