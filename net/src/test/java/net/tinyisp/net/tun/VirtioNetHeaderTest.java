package net.tinyisp.net.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import net.tinyisp.net.checksum.InternetChecksum;
import net.tinyisp.net.testing.Hex;
import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {

  @Test
  void decodesTheHeaderReadFromATsoTransfer() {
    // the bytes TunDeviceIT read for a TCPv6 TSO super-packet: NEEDS_CSUM, TCPV6, hdr_len 60, gso_size 1440,
    // csum_start 40, csum_offset 16 (all little-endian)
    MemorySegment s = Hex.segment("01 04 3c00 a005 2800 1000");
    VirtioNetHeader h = VirtioNetHeader.read(s, 0);
    assertThat(h).isEqualTo(new VirtioNetHeader(1, 4, 60, 1440, 40, 16));
    assertThat(h.needsChecksum()).isTrue();
    assertThat(h.gsoKind()).isEqualTo(VirtioNetHeader.GSO_TCPV6);
    MemorySegment back = Arena.ofAuto().allocate(VirtioNetHeader.LENGTH);
    h.write(back, 0);
    assertThat(back.mismatch(s)).isEqualTo(-1);
    assertThat(VirtioNetHeader.gsoSize(s, 0)).isEqualTo(1440);
  }

  @Test
  void ecnBitIsKeptButNotPartOfTheKind() {
    VirtioNetHeader h = new VirtioNetHeader(0, VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, 0, 0, 0, 0);
    assertThat(h.gsoKind()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
  }

  @Test
  void rejectsOutOfRangeFields() {
    assertThatThrownBy(() -> new VirtioNetHeader(0, 0, 0, 70000, 0, 0))
        .hasMessageContaining("gso_size");
  }

  @Test
  void preparePartialThenCompleteGivesValidChecksum() {
    MemorySegment b = SuperPackets.udp6(200, 0);
    // wipe the checksum, prepare as a writer would, then finish as the kernel would
    VirtioNetHeader.clear(b, 0);
    long pseudo = new net.tinyisp.net.header.Ipv6Header().wrap(b, VirtioNetHeader.LENGTH).pseudoHeaderSum(17, 208);
    ChecksumOffload.preparePartial(b, 0, VirtioNetHeader.LENGTH, 40, 6, pseudo);
    VirtioNetHeader h = VirtioNetHeader.read(b, 0);
    assertThat(h.needsChecksum()).isTrue();
    assertThat(ChecksumOffload.complete(b, VirtioNetHeader.LENGTH, 248, h.csumStart(), h.csumOffset())).isTrue();
    assertThat(InternetChecksum.finish(pseudo + InternetChecksum.sum(b, VirtioNetHeader.LENGTH + 40, 208)))
        .isZero();
  }

  @Test
  void configValidation() {
    assertThatThrownBy(() -> new TunConfig("x", 1, false, List.of("csum")))
        .hasMessageContaining("vnet-header");
    assertThatThrownBy(() -> new TunConfig("x", 1, true, List.of("tso4")))
        .hasMessageContaining("csum");
    assertThatThrownBy(() -> new TunConfig("a-name-that-is-too-long", 1, false, null))
        .hasMessageContaining("1-15");
    assertThatThrownBy(() -> new TunConfig("x", 0, false, null)).hasMessageContaining("queues");
    assertThatThrownBy(() -> new TunConfig("x", 1, true, List.of("gro"))).hasMessageContaining("unknown");
    TunConfig d = new TunConfig(null, null, null, null);
    assertThat(d.name()).isEqualTo("tinyisp0");
    assertThat(d.queues()).isEqualTo(1);
    assertThat(d.vnetHeader()).isFalse();
    assertThat(new TunConfig("t", 2, true, List.of("CSUM", "uso6")).offloadSet())
        .containsExactlyInAnyOrder(TunOffload.CSUM, TunOffload.USO6);
  }
}
