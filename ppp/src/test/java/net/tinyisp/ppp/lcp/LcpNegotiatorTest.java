package net.tinyisp.ppp.lcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import net.tinyisp.ppp.fsm.Negotiator.Verdict;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;
import net.tinyisp.ppp.wire.ControlPacket;
import org.junit.jupiter.api.Test;

class LcpNegotiatorTest {
  private final LcpNegotiator lcp = new LcpNegotiator(LcpConfig.DEFAULTS, new SplittableRandom(1));

  private static List<ConfigOption> options(String hex) {
    return ConfigOption.parseList(HexFormat.of().parseHex(hex));
  }

  @Test
  void acceptsWhatPppdSendsOverPppoe() {
    // pppd 2.4.9 rp-pppoe: ConfReq <mru 1492> <magic 0x5a3c9f01>
    ControlPacket req = ControlPacket.parse(java.nio.ByteBuffer.wrap(HexFormat.of().parseHex("0101000e010405d405065a3c9f01")));
    Verdict v = lcp.check(ConfigOption.parseList(req.data()));
    assertThat(v.code()).isEqualTo(Code.CONFIGURE_ACK);
    assertThat(lcp.peerMagic()).isEqualTo(0x5a3c9f01);
    assertThat(lcp.peerMru()).isEqualTo(1492);
  }

  @Test
  void oversizedMruIsNakedTo1492() {
    Verdict v = lcp.check(options("010405dc")); // MRU 1500
    assertThat(v.code()).isEqualTo(Code.CONFIGURE_NAK);
    assertThat(v.options()).containsExactly(ConfigOption.u16(LcpOption.MRU, 1492));
  }

  @Test
  void acfcPfcAuthAndUnknownOptionsAreRejectedVerbatim() {
    Verdict v = lcp.check(options("0702" + "0802" + "0304c023" + "0d0306" + "010405d4"));
    assertThat(v.code()).isEqualTo(Code.CONFIGURE_REJECT);
    assertThat(v.options()).extracting(ConfigOption::type).containsExactly(7, 8, 3, 13);
  }

  @Test
  void ourOwnMagicNumberBackIsALoopAndIsNaked() {
    int ours = lcp.localMagic();
    Verdict v = lcp.check(List.of(ConfigOption.u32(LcpOption.MAGIC_NUMBER, ours)));
    assertThat(v.code()).isEqualTo(Code.CONFIGURE_NAK);
    assertThat(lcp.localMagic()).isNotEqualTo(ours);
    assertThat(lcp.loopbackSuspicions()).isEqualTo(1);
  }

  @Test
  void requestAsksChapFirstAndFallsBackToPapWhenNaked() {
    assertThat(lcp.request()).contains(AuthMethod.CHAP_MD5.option());
    lcp.nakked(List.of(AuthMethod.PAP.option()));
    assertThat(lcp.request()).contains(AuthMethod.PAP.option());
    lcp.acked(lcp.request());
    assertThat(lcp.agreedAuth()).isEqualTo(AuthMethod.PAP);
  }

  @Test
  void aPeerRejectingAuthenticationCannotProceed() {
    assertThat(lcp.rejected(List.of(AuthMethod.CHAP_MD5.option()))).isFalse();
    assertThat(lcp.rejected(List.of(ConfigOption.u16(LcpOption.MRU, 1492)))).isTrue();
    assertThat(lcp.request()).extracting(ConfigOption::type).doesNotContain(LcpOption.MRU);
  }
}
