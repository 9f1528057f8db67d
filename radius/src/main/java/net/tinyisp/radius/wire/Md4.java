package net.tinyisp.radius.wire;

/**
 * MD4 (RFC 1320), needed only for the NT password hash of MS-CHAP (RFC 2759 §8.3); the JDK does not offer it as a
 * public algorithm. Not for anything else: MD4 is broken as a hash.
 */
final class Md4 {
  private Md4() {}

  static byte[] digest(byte[] msg) {
    int n = ((msg.length + 8) / 64 + 1) * 64;
    byte[] m = new byte[n];
    System.arraycopy(msg, 0, m, 0, msg.length);
    m[msg.length] = (byte) 0x80;
    long bits = (long) msg.length * 8;
    for (int i = 0; i < 8; i++) m[n - 8 + i] = (byte) (bits >>> (8 * i));
    int a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
    int[] x = new int[16];
    for (int off = 0; off < n; off += 64) {
      for (int i = 0; i < 16; i++) {
        int p = off + i * 4;
        x[i] = (m[p] & 0xff) | (m[p + 1] & 0xff) << 8 | (m[p + 2] & 0xff) << 16 | (m[p + 3] & 0xff) << 24;
      }
      int aa = a, bb = b, cc = c, dd = d;
      int[] r1 = {3, 7, 11, 19};
      for (int i = 0; i < 16; i++) { // round 1: F(x,y,z) = xy | ~xz
        int t = a + ((b & c) | (~b & d)) + x[i];
        a = d;
        d = c;
        c = b;
        b = Integer.rotateLeft(t, r1[i % 4]);
      }
      int[] r2 = {3, 5, 9, 13};
      for (int i = 0; i < 16; i++) { // round 2: G(x,y,z) = xy | xz | yz, + 0x5a827999
        int k = (i % 4) * 4 + i / 4;
        int t = a + ((b & c) | (b & d) | (c & d)) + x[k] + 0x5a827999;
        a = d;
        d = c;
        c = b;
        b = Integer.rotateLeft(t, r2[i % 4]);
      }
      int[] r3 = {3, 9, 11, 15};
      int[] k3 = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
      for (int i = 0; i < 16; i++) { // round 3: H(x,y,z) = x ^ y ^ z, + 0x6ed9eba1
        int t = a + (b ^ c ^ d) + x[k3[i]] + 0x6ed9eba1;
        a = d;
        d = c;
        c = b;
        b = Integer.rotateLeft(t, r3[i % 4]);
      }
      a += aa;
      b += bb;
      c += cc;
      d += dd;
    }
    byte[] out = new byte[16];
    int[] s = {a, b, c, d};
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) out[i * 4 + j] = (byte) (s[i] >>> (8 * j));
    return out;
  }
}
