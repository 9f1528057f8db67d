package net.tinyisp.ppp.ipv6cp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;
import org.junit.jupiter.api.Test;

class Ipv6cpNegotiatorTest {
  private final Ipv6cpNegotiator n = new Ipv6cpNegotiator(new SplittableRandom(7));

  private static ConfigOption id(long v) {
    return new ConfigOption(1, ByteBuffer.allocate(8).putLong(v).array());
  }

  @Test
  void aUniqueIdentifierIsAcked() {
    assertThat(n.check(List.of(id(0xf42cdaee16ed55baL))).code()).isEqualTo(Code.CONFIGURE_ACK);
    assertThat(n.peerIdentifier()).isEqualTo(0xf42cdaee16ed55baL);
  }

  @Test
  void zeroOrOurOwnIdentifierIsNakedWithAFreshOne() {
    var zero = n.check(List.of(id(0)));
    assertThat(zero.code()).isEqualTo(Code.CONFIGURE_NAK);
    long suggested = ByteBuffer.wrap(zero.options().getFirst().data()).getLong();
    assertThat(suggested).isNotZero().isNotEqualTo(n.localIdentifier());
    assertThat(n.check(List.of(id(n.localIdentifier()))).code()).isEqualTo(Code.CONFIGURE_NAK);
  }

  @Test
  void otherOptionsAreRejected() {
    var v = n.check(List.of(new ConfigOption(2, new byte[] {0, 0x2d, 0x0f, 1})));
    assertThat(v.code()).isEqualTo(Code.CONFIGURE_REJECT);
  }

  @Test
  void aNakedIdentifierIsAdopted() {
    n.nakked(List.of(id(0x1234L)));
    assertThat(n.localIdentifier()).isEqualTo(0x1234L);
  }
}
