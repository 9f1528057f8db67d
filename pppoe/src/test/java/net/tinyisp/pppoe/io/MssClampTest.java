package net.tinyisp.pppoe.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MssClampTest {
  /** TCP options: MSS first (the usual SYN), or after one NOP so the MSS value sits at an odd offset. */
  private static final byte[] MSS_1460 = {2, 4, 0x05, (byte) 0xb4, 1, 1, 4, 2};
  private static final byte[] NOP_THEN_MSS_1460 = {1, 2, 4, 0x05, (byte) 0xb4, 1, 4, 2};

  @Test
  void ipv6SynIsClampedTo1432WithAValidChecksum() {
    byte[] p = ipv6Tcp(0x02, MSS_1460);
    assertThat(MssClamp.clampForPppoe(p, p.length)).isTrue();
    assertThat(mss(p, 40 + 20 + 2)).isEqualTo(1432);
    assertThat(tcpChecksumOk(p, 40)).isTrue();
  }

  @Test
  void ipv4SynIsClampedTo1452WithAValidChecksum() {
    byte[] p = ipv4Tcp(0x12, MSS_1460, 0); // SYN-ACK from the core side
    assertThat(MssClamp.clampForPppoe(p, p.length)).isTrue();
    assertThat(mss(p, 20 + 20 + 2)).isEqualTo(1452);
    assertThat(tcpChecksumOk(p, 20)).isTrue();
  }

  @Test
  void anMssAtAnOddOffsetKeepsTheChecksumRight() {
    byte[] v4 = ipv4Tcp(0x02, NOP_THEN_MSS_1460, 0);
    assertThat(MssClamp.clampForPppoe(v4, v4.length)).isTrue();
    assertThat(mss(v4, 20 + 20 + 3)).isEqualTo(1452);
    assertThat(tcpChecksumOk(v4, 20)).isTrue();
    byte[] v6 = ipv6Tcp(0x02, NOP_THEN_MSS_1460);
    assertThat(MssClamp.clampForPppoe(v6, v6.length)).isTrue();
    assertThat(tcpChecksumOk(v6, 40)).isTrue();
  }

  @Test
  void leavesAloneWhatItMustNotTouch() {
    byte[] ack = ipv4Tcp(0x10, MSS_1460, 0);
    byte[] fragment = ipv4Tcp(0x02, MSS_1460, 185); // a later fragment: these bytes are not a TCP header
    byte[] small = ipv6Tcp(0x02, new byte[] {2, 4, 0x05, 0x00, 1, 1, 1, 0}); // MSS 1280 already fits
    for (byte[] p : new byte[][] {ack, fragment, small}) {
      byte[] before = p.clone();
      assertThat(MssClamp.clampForPppoe(p, p.length)).isFalse();
      assertThat(p).isEqualTo(before);
    }
    byte[] truncated = Arrays.copyOf(ipv4Tcp(0x02, MSS_1460, 0), 30);
    assertThat(MssClamp.clampForPppoe(truncated, truncated.length)).isFalse();
    assertThat(MssClamp.clampForPppoe(new byte[0], 0)).isFalse();
  }

  private static byte[] ipv6Tcp(int flags, byte[] options) {
    byte[] p = new byte[40 + 20 + options.length];
    p[0] = 0x60;
    int tcpLen = 20 + options.length;
    p[4] = (byte) (tcpLen >> 8);
    p[5] = (byte) tcpLen;
    p[6] = 6;
    p[7] = 64;
    p[8] = 0x20; p[9] = 0x01; p[10] = 0x0d; p[11] = (byte) 0xb8; p[23] = 1;
    p[24] = 0x20; p[25] = 0x01; p[26] = 0x0d; p[27] = (byte) 0xb8; p[39] = 2;
    tcp(p, 40, flags, options);
    return p;
  }

  private static byte[] ipv4Tcp(int flags, byte[] options, int fragmentOffset) {
    byte[] p = new byte[20 + 20 + options.length];
    p[0] = 0x45;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    p[6] = (byte) (fragmentOffset >> 8);
    p[7] = (byte) fragmentOffset;
    p[8] = 64;
    p[9] = 6;
    p[12] = 100; p[13] = 64; p[14] = 0; p[15] = 2;
    p[16] = (byte) 198; p[17] = 51; p[18] = 100; p[19] = 7;
    tcp(p, 20, flags, options);
    return p;
  }

  private static void tcp(byte[] p, int t, int flags, byte[] options) {
    p[t] = (byte) 0xc0; p[t + 1] = 0x01; // source port 49153
    p[t + 3] = 80;
    p[t + 7] = 1; // sequence number
    p[t + 12] = (byte) ((20 + options.length) / 4 << 4);
    p[t + 13] = (byte) flags;
    p[t + 14] = (byte) 0xfa; p[t + 15] = (byte) 0xf0;
    System.arraycopy(options, 0, p, t + 20, options.length);
    int c = checksum(p, t);
    p[t + 16] = (byte) (c >> 8);
    p[t + 17] = (byte) c;
  }

  private static int mss(byte[] p, int at) {
    return (p[at] & 0xff) << 8 | p[at + 1] & 0xff;
  }

  private static boolean tcpChecksumOk(byte[] p, int t) {
    return checksum(p, t) == 0;
  }

  /** The one's complement TCP checksum over the pseudo-header and segment (RFC 793 / RFC 8200 §8.1). */
  private static int checksum(byte[] p, int t) {
    long sum = 0;
    int len = p.length - t;
    if ((p[0] & 0xf0) == 0x60) {
      for (int i = 8; i < 40; i += 2) sum += (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
    } else {
      for (int i = 12; i < 20; i += 2) sum += (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
    }
    sum += 6 + len;
    for (int i = t; i < p.length; i += 2) {
      int hi = p[i] & 0xff;
      int lo = i + 1 < p.length ? p[i + 1] & 0xff : 0;
      sum += hi << 8 | lo;
    }
    while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
    return (int) (~sum & 0xffff);
  }
}
