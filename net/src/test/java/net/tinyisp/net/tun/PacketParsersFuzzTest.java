package net.tinyisp.net.tun;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import net.tinyisp.net.header.Ipv4Header;
import net.tinyisp.net.header.Ipv6Header;

/**
 * Whatever arrives from a TUN device (the kernel forwards what subscribers send), the views' validity checks and the
 * segmenter must either accept it or name a drop, never read outside the packet. Regression mode runs the seeds in
 * {@code PacketParsersFuzzTestInputs/} under plain {@code verify}; {@code JAZZER_FUZZ=1} explores.
 */
class PacketParsersFuzzTest {
  private final GsoSegmenter gso = new GsoSegmenter();
  private final Ipv4Header ip4 = new Ipv4Header();
  private final Ipv6Header ip6 = new Ipv6Header();
  private final MemorySegment out = Arena.ofAuto().allocate(1500);

  @FuzzTest(maxDuration = "20s")
  void tunReadPath(byte[] input) throws Exception {
    // an exactly-sized copy, so any read past the packet is an IndexOutOfBoundsException
    MemorySegment b = Arena.ofAuto().allocate(Math.max(1, input.length));
    MemorySegment.copy(input, 0, b, ValueLayout.JAVA_BYTE, 0, input.length);
    int n = gso.process(b, input.length, out, (seg, len) -> assertThat((long) len).isLessThanOrEqualTo(seg.byteSize()));
    assertThat(n == 0).isEqualTo(gso.lastDrop() != null);

    if (input.length > VirtioNetHeader.LENGTH) {
      long p = VirtioNetHeader.LENGTH;
      long avail = input.length - p;
      if (ip6.wrap(b, p).valid(avail) && ip6.walk(avail)) {
        assertThat(ip6.upperOffset()).isBetween(p + 40, (long) input.length);
      }
      if (ip4.wrap(b, p).valid(avail)) {
        assertThat(ip4.payloadOffset() + ip4.payloadLength()).isLessThanOrEqualTo(input.length);
      }
    }
  }
}
