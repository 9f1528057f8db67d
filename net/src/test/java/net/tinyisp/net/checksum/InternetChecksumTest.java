package net.tinyisp.net.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import net.tinyisp.net.testing.Hex;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

  @Test
  void rfc1071Section3WorkedExample() {
    // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 (after folding 0x2ddf0)
    byte[] b = Hex.bytes("0001 f203 f4f5 f6f7");
    assertThat(InternetChecksum.fold(InternetChecksum.sum(b, 0, b.length))).isEqualTo(0xddf2);
    assertThat(InternetChecksum.checksum(b, 0, b.length)).isEqualTo(0x220d);
  }

  @Test
  void capturedIpv4HeaderVerifies() {
    // tcpdump -i lo of a SYN to 127.0.0.1:5999; header checksum 0x587f as sent by Linux
    byte[] h = Hex.bytes("4500 003c e43a 4000 4006 587f 7f00 0001 7f00 0001");
    assertThat(InternetChecksum.checksum(h, 0, h.length)).isZero();
    h[10] = 0;
    h[11] = 0;
    assertThat(InternetChecksum.checksum(h, 0, h.length)).isEqualTo(0x587f);
  }

  @Test
  void oddLengthPadsWithZero() {
    byte[] b = Hex.bytes("0102 03");
    assertThat(InternetChecksum.checksum(b, 0, 3)).isEqualTo(~(0x0102 + 0x0300) & 0xffff);
  }

  @Test
  void byteBufferAndSegmentAgreeWithReference() {
    SplittableRandom rnd = new SplittableRandom(1071);
    for (int round = 0; round < 500; round++) {
      byte[] b = new byte[rnd.nextInt(0, 1600)];
      rnd.nextBytes(b);
      int off = b.length == 0 ? 0 : rnd.nextInt(0, Math.min(b.length, 7) + 1);
      int len = b.length - off;
      int expected = Hex.referenceChecksum(b, off, len, 0);
      assertThat(InternetChecksum.checksum(b, off, len)).as("len %d off %d", len, off).isEqualTo(expected);
      assertThat(InternetChecksum.finish(InternetChecksum.sum(ByteBuffer.wrap(b, off, len))))
          .isEqualTo(expected);
      assertThat(InternetChecksum.checksum(MemorySegment.ofArray(b), off, len)).isEqualTo(expected);
    }
  }

  @Test
  void largeAllOnesDoesNotOverflow() {
    byte[] b = new byte[65535];
    java.util.Arrays.fill(b, (byte) 0xff);
    assertThat(InternetChecksum.checksum(b, 0, b.length)).isEqualTo(Hex.referenceChecksum(b, 0, b.length, 0));
  }

  @Test
  void incrementalUpdateEqualsRecomputation() {
    // RFC 1624 §3 eqn. 3, checked against full recomputation over random packets and random field changes
    SplittableRandom rnd = new SplittableRandom(1624);
    for (int round = 0; round < 2000; round++) {
      byte[] b = new byte[2 * rnd.nextInt(4, 200)];
      rnd.nextBytes(b);
      int checksum = InternetChecksum.checksum(b, 0, b.length);
      int words = b.length / 2;
      if (rnd.nextBoolean()) {
        int w = rnd.nextInt(words);
        int old = ((b[2 * w] & 0xff) << 8) | (b[2 * w + 1] & 0xff);
        int neu = rnd.nextInt(0x10000);
        b[2 * w] = (byte) (neu >>> 8);
        b[2 * w + 1] = (byte) neu;
        checksum = InternetChecksum.update16(checksum, old, neu);
      } else {
        int w = rnd.nextInt(words - 1);
        int old = ((b[2 * w] & 0xff) << 24) | ((b[2 * w + 1] & 0xff) << 16) | ((b[2 * w + 2] & 0xff) << 8)
            | (b[2 * w + 3] & 0xff);
        int neu = rnd.nextInt();
        b[2 * w] = (byte) (neu >>> 24);
        b[2 * w + 1] = (byte) (neu >>> 16);
        b[2 * w + 2] = (byte) (neu >>> 8);
        b[2 * w + 3] = (byte) neu;
        checksum = InternetChecksum.update32(checksum, old, neu);
      }
      int full = InternetChecksum.checksum(b, 0, b.length);
      // one's complement has two zeros: 0x0000 and 0xffff are the same value; RFC 1624 §4 gives 0xffff-free cases
      assertThat(equivalent(checksum, full)).as("round %d: %04x vs %04x", round, checksum, full).isTrue();
    }
  }

  @Test
  void adjustSwapsWholePseudoHeader() {
    // NAT64-style: replace an IPv6 pseudo header by an IPv4 one in a UDP checksum (RFC 7915 §4.5)
    SplittableRandom rnd = new SplittableRandom(7915);
    for (int round = 0; round < 500; round++) {
      byte[] payload = new byte[rnd.nextInt(8, 300)];
      rnd.nextBytes(payload);
      byte[] v6 = new byte[32];
      rnd.nextBytes(v6);
      MemorySegment a = MemorySegment.ofArray(v6);
      long oldPseudo = InternetChecksum.pseudoHeaderV6(a, 0, 16, 17, payload.length);
      long newPseudo = InternetChecksum.pseudoHeaderV4(rnd.nextInt(), rnd.nextInt(), 17, payload.length);
      long data = InternetChecksum.sum(payload, 0, payload.length);
      int before = InternetChecksum.finish(oldPseudo + data);
      int after = InternetChecksum.adjust(before, oldPseudo, newPseudo);
      assertThat(equivalent(after, InternetChecksum.finish(newPseudo + data))).isTrue();
    }
  }

  @Test
  void pseudoHeaderMatchesCapturedPartialChecksum() {
    // Loopback TCP is CHECKSUM_PARTIAL: the captured SYN's field holds the folded pseudo-header sum, 0xfe30, for
    // 127.0.0.1 -> 127.0.0.1, protocol 6, TCP length 40.
    long pseudo = InternetChecksum.pseudoHeaderV4(0x7f000001, 0x7f000001, 6, 40);
    assertThat(InternetChecksum.fold(pseudo)).isEqualTo(0xfe30);
  }

  private static boolean equivalent(int a, int b) {
    return a == b || (a == 0 && b == 0xffff) || (a == 0xffff && b == 0);
  }
}
