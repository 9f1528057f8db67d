package net.tinyisp.ppp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.tinyisp.ppp.wire.ControlPacket;
import net.tinyisp.ppp.wire.MalformedPacketException;
import org.junit.jupiter.api.Test;

class AuthPacketsTest {
  private static ControlPacket parse(String hex) {
    return ControlPacket.parse(ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
  }

  @Test
  void papRequestAsPppdSendsIt() {
    // [PAP AuthReq id=0x1 user="alice" password="secret"]
    PapPacket.Request r = PapPacket.parseRequest(parse("0101001105616c69636506736563726574"));
    assertThat(r.peerId()).isEqualTo("alice");
    assertThat(new String(r.password(), StandardCharsets.UTF_8)).isEqualTo("secret");
    assertThat(PapPacket.request(1, "alice", "secret".getBytes(StandardCharsets.UTF_8)).toBytes())
        .isEqualTo(HexFormat.of().parseHex("0101001105616c69636506736563726574"));
    assertThat(PapPacket.message(PapPacket.reply(false, 1, "Access denied"))).isEqualTo("Access denied");
  }

  @Test
  void papLengthsBeyondThePacketAreMalformed() {
    assertThatThrownBy(() -> PapPacket.parseRequest(parse("010100060a61"))).isInstanceOf(MalformedPacketException.class);
    assertThatThrownBy(() -> PapPacket.parseRequest(parse("01010008016109"))).isInstanceOf(MalformedPacketException.class);
  }

  @Test
  void chapMd5IsRfc1994Section4_1() {
    byte[] challenge = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    byte[] expected = ChapPacket.md5Response(7, "secret".getBytes(StandardCharsets.UTF_8), challenge);
    // independently: MD5(0x07 || "secret" || challenge)
    assertThat(HexFormat.of().formatHex(expected)).hasSize(32);
    ControlPacket resp = ChapPacket.value(ChapPacket.RESPONSE, 7, expected, "alice");
    ChapPacket.ValueAndName v = ChapPacket.parseValue(ControlPacket.parse(ByteBuffer.wrap(resp.toBytes())));
    assertThat(v.value()).isEqualTo(expected);
    assertThat(v.name()).isEqualTo("alice");
    assertThat(v.identifier()).isEqualTo(7);
    assertThatThrownBy(() -> ChapPacket.parseValue(parse("0201000500"))).isInstanceOf(MalformedPacketException.class);
  }

  @Test
  void chapMd5MatchesAKnownVector() throws Exception {
    java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
    md5.update(new byte[] {1});
    md5.update("pass".getBytes(StandardCharsets.UTF_8));
    md5.update(new byte[] {9, 9, 9, 9});
    assertThat(ChapPacket.md5Response(1, "pass".getBytes(StandardCharsets.UTF_8), new byte[] {9, 9, 9, 9}))
        .isEqualTo(md5.digest());
  }
}
