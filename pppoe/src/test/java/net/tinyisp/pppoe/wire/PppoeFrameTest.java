package net.tinyisp.pppoe.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PppoeFrameTest {
  // a PADI as pppd's rp-pppoe plugin sends it: broadcast, Service-Name "", Host-Uniq (4 bytes); padded to 60
  static final String PADI = "ffffffffffff525400123456" + "8863" + "1109" + "0000" + "000c"
      + "01010000" + "010300042a000000" + "00".repeat(28);

  @Test
  void parsesPppdsPadi() {
    byte[] b = HexFormat.of().parseHex(PADI);
    PppoeFrame f = PppoeFrame.parse(b, b.length);
    assertThat(f.code()).isEqualTo(PppoeFrame.CODE_PADI);
    assertThat(f.source()).hasToString("52:54:00:12:34:56");
    assertThat(f.destination()).isEqualTo(MacAddress.BROADCAST);
    assertThat(f.tags()).containsExactly(Tag.text(Tag.SERVICE_NAME, ""), new Tag(Tag.HOST_UNIQ, HexFormat.of().parseHex("2a000000")));
    assertThat(HexFormat.of().formatHex(f.toBytes())).isEqualTo(PADI);
  }

  @Test
  void malformedFramesNameTheirReason() {
    byte[] b = HexFormat.of().parseHex(PADI);
    assertThatThrownBy(() -> PppoeFrame.parse(b, 15)).hasFieldOrPropertyWithValue("reason", MalformedFrameException.Reason.SHORT);
    byte[] badVer = b.clone();
    badVer[14] = 0x21;
    assertThatThrownBy(() -> PppoeFrame.parse(badVer, badVer.length)).hasFieldOrPropertyWithValue("reason", MalformedFrameException.Reason.VERSION);
    byte[] longLen = b.clone();
    longLen[18] = 0x05;
    assertThatThrownBy(() -> PppoeFrame.parse(longLen, longLen.length)).hasFieldOrPropertyWithValue("reason", MalformedFrameException.Reason.LENGTH);
    byte[] badTag = b.clone();
    badTag[27] = 0x40; // Host-Uniq length 0x40 beyond the payload
    assertThatThrownBy(() -> PppoeFrame.parse(badTag, badTag.length)).hasFieldOrPropertyWithValue("reason", MalformedFrameException.Reason.TAG);
  }

  @FuzzTest(maxDuration = "10s")
  void parserNeverThrowsAnythingElse(byte[] data) {
    try {
      PppoeFrame f = PppoeFrame.parse(data, data.length);
      if (f.etherType() == PppoeFrame.ETHERTYPE_DISCOVERY) {
        f.toBytes();
      }
    } catch (MalformedFrameException expected) {
      // counted drop
    } catch (IllegalArgumentException tooBig) {
      // a re-encoded frame over the Ethernet MTU: refused with a message, never sent
    }
  }
}
