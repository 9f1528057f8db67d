package net.tinyisp.nat64.steps;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import net.tinyisp.net.checksum.InternetChecksum;

/** Builds well-formed test packets with full (not incremental) checksums. */
final class TestPackets {
  private TestPackets() {}

  static byte[] addr(String s) {
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (Exception e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  static byte[] v6(String src, String dst, int nh, int hop, byte[] l4) {
    ByteBuffer b = ByteBuffer.allocate(40 + l4.length);
    b.putInt(6 << 28).putShort((short) l4.length).put((byte) nh).put((byte) hop).put(addr(src)).put(addr(dst)).put(l4);
    byte[] p = b.array();
    fixL4Checksum(p);
    return p;
  }

  static byte[] v4(String src, String dst, int proto, int ttl, int id, int flagsFrag, byte[] l4) {
    ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) id)
        .putShort((short) flagsFrag).put((byte) ttl).put((byte) proto).putShort((short) 0).put(addr(src)).put(addr(dst))
        .put(l4);
    byte[] p = b.array();
    int cs = InternetChecksum.finish(InternetChecksum.sum(p, 0, 20));
    p[10] = (byte) (cs >> 8);
    p[11] = (byte) cs;
    if ((flagsFrag & 0x3fff) == 0) fixL4Checksum(p);
    return p;
  }

  static byte[] udp(int sp, int dp, byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length).putShort((short) sp).putShort((short) dp)
        .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload).array();
  }

  static byte[] tcp(int sp, int dp, int flags, byte[] payload) {
    return ByteBuffer.allocate(20 + payload.length).putShort((short) sp).putShort((short) dp).putInt(1000).putInt(0)
        .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
        .put(payload).array();
  }

  static byte[] echo(int type, int id, int seq, byte[] payload) {
    return ByteBuffer.allocate(8 + payload.length).put((byte) type).put((byte) 0).putShort((short) 0)
        .putShort((short) id).putShort((short) seq).put(payload).array();
  }

  static byte[] icmpError(int type, int code, int rest, byte[] inner) {
    return ByteBuffer.allocate(8 + inner.length).put((byte) type).put((byte) code).putShort((short) 0).putInt(rest)
        .put(inner).array();
  }

  /** Computes the transport checksum of an unfragmented packet from scratch. */
  static void fixL4Checksum(byte[] p) {
    boolean v6 = (p[0] & 0xf0) == 0x60;
    int l4 = v6 ? 40 : (p[0] & 0x0f) * 4;
    int proto = v6 ? p[6] & 0xff : p[9] & 0xff;
    int n = p.length - l4;
    int csOff = switch (proto) {
      case 6 -> 16;
      case 17 -> 6;
      case 1, 58 -> 2;
      default -> -1;
    };
    if (csOff < 0) return;
    p[l4 + csOff] = 0;
    p[l4 + csOff + 1] = 0;
    long s = InternetChecksum.sum(p, l4, n);
    if (proto != 1) {
      s += v6 ? InternetChecksum.sum(p, 8, 32) : InternetChecksum.sum(p, 12, 8);
      s += TranslatingThePacket.pseudoTail(n, proto);
    }
    int cs = InternetChecksum.finish(s);
    if (proto == 17 && cs == 0) cs = 0xffff;
    p[l4 + csOff] = (byte) (cs >> 8);
    p[l4 + csOff + 1] = (byte) cs;
  }

  /** True when the transport checksum of an unfragmented packet verifies. */
  static boolean l4ChecksumOk(byte[] p) {
    byte[] copy = p.clone();
    fixL4Checksum(copy);
    return java.util.Arrays.equals(copy, p);
  }

  static boolean ipv4HeaderChecksumOk(byte[] p) {
    return InternetChecksum.fold(InternetChecksum.sum(p, 0, (p[0] & 0x0f) * 4)) == 0xffff;
  }
}
