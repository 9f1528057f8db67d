package net.tinyisp.radius.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;

/** The packet parser faces the network: any datagram either parses and re-encodes to the same octets, or is named
 * malformed. Nothing else may escape, including from the dictionary decoder and the authenticator checks. */
class RadiusPacketFuzzTest {
  private static final AttributeCodec CODEC = new AttributeCodec(Dictionary.standard());
  private static final byte[] SECRET = "fuzz".getBytes();

  @FuzzTest(maxDuration = "10s")
  void parserHandlesAnyDatagram(byte[] data) {
    RadiusPacket p;
    try {
      p = RadiusPacket.parse(data);
    } catch (MalformedPacketException expected) {
      return; // a counted drop
    }
    byte[] wire = p.toWire();
    assertThat(wire).isEqualTo(Arrays.copyOf(data, wire.length));
    CODEC.decode(p);
    Authenticators.checkRequestMessageAuthenticator(data, wire.length, SECRET);
    Authenticators.verifyComputedRequestAuthenticator(data, wire.length, SECRET);
    RawAttribute pw = p.first(StandardTypes.USER_PASSWORD);
    if (pw != null) UserPassword.reveal(pw.value(), SECRET, p.authenticator());
    RawAttribute chap = p.first(StandardTypes.CHAP_PASSWORD);
    if (chap != null) Chap.verify(chap.value(), p.authenticator(), "x");
  }
}
