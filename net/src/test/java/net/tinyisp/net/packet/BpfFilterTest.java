package net.tinyisp.net.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BpfFilterTest {

  @Test
  void pppoeFilterMatchesTcpdumpStyleProgram() {
    // what `tcpdump -d 'ether proto 0x8863 or ether proto 0x8864'` prints, with the accept/drop order swapped:
    // (000) ldh [12]; (001) jeq #0x8863 jt 4 jf 2; (002) jeq #0x8864 jt 4 jf 3; (003) ret #0; (004) ret #-1
    BpfFilter f = BpfFilter.etherTypes(AfPacketConfig.PPPOE);
    assertThat(f.length()).isEqualTo(5);
    assertThat(f.instruction(0)).containsExactly(0x28, 0, 0, 12);
    assertThat(f.instruction(1)).containsExactly(0x15, 2, 0, 0x8863);
    assertThat(f.instruction(2)).containsExactly(0x15, 1, 0, 0x8864);
    assertThat(f.instruction(3)).containsExactly(0x06, 0, 0, 0);
    assertThat(f.instruction(4)).containsExactly(0x06, 0, 0, -1);
  }

  @Test
  void rejectsLengthsAndCounts() {
    assertThatThrownBy(() -> BpfFilter.etherTypes(List.of(0x0100))).hasMessageContaining("0x100");
    assertThatThrownBy(() -> BpfFilter.etherTypes(List.of())).hasMessageContaining("1..32");
    assertThat(BpfFilter.none().instruction(0)).containsExactly(0x06, 0, 0, 0);
  }

  @Test
  void configDefaultsAndLimits() {
    AfPacketConfig c = AfPacketConfig.pppoe("eth1");
    assertThat(c.etherTypes()).containsExactly(0x8863, 0x8864);
    assertThat(c.blockSize()).isEqualTo(1 << 20);
    assertThatThrownBy(() -> new AfPacketConfig("eth1", null, 3000, null, null)).hasMessageContaining("power");
    assertThatThrownBy(() -> new AfPacketConfig("", null, null, null, null)).hasMessageContaining("interface");
  }
}
