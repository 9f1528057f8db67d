package net.tinyisp.nat64.steps;

import static net.tinyisp.nat64.wire.Bytes.i32;
import static net.tinyisp.nat64.wire.Bytes.i64;
import static net.tinyisp.nat64.wire.Bytes.put16;
import static net.tinyisp.nat64.wire.Bytes.put32;

import net.tinyisp.net.checksum.InternetChecksum;

/**
 * ICMP errors the gateway itself sends about a packet it will not forward: time exceeded when the hop limit runs
 * out (it acts as a router, RFC 7915 §4.1/§5.1), destination unreachable / administratively prohibited when pool4
 * or the subscriber's share is exhausted (RFC 6146 §3.5.1.1 and §3.5.2.1). Built from the untouched original.
 */
public final class OriginatedIcmp {
  private final byte[] s = new byte[PacketContext.HEADROOM + 1280];
  private final long own6Hi;
  private final long own6Lo;

  /** {@code own6}: the gateway's IPv6 source for these errors (pool6 + first pool4 address). */
  public OriginatedIcmp(byte[] own6) {
    this.own6Hi = i64(own6, 0);
    this.own6Lo = i64(own6, 8);
  }

  /** RFC 4443: the error plus as much of the offending packet as fits in 1280 bytes. */
  public void toV6(PacketContext c, int type, int code, int rest, PacketSink sink) {
    int o = PacketContext.HEADROOM;
    int copy = Math.min(c.len, 1280 - 48);
    System.arraycopy(c.buf, c.off, s, o + 48, copy);
    int icmpLen = 8 + copy;
    long dHi = i64(c.buf, c.off + 8);
    long dLo = i64(c.buf, c.off + 16);
    TranslatingThePacket.ipv6Header(s, o, 0, icmpLen, 58, 64, own6Hi, own6Lo, dHi, dLo);
    s[o + 40] = (byte) type;
    s[o + 41] = (byte) code;
    put16(s, o + 42, 0);
    put32(s, o + 44, rest);
    long sum = InternetChecksum.sum(s, o + 8, 32) + TranslatingThePacket.pseudoTail(icmpLen, 58) + InternetChecksum.sum(s, o + 40, icmpLen);
    put16(s, o + 42, InternetChecksum.finish(sum));
    sink.emit(s, o, 40 + icmpLen, 0, false);
  }

  /** RFC 792 / RFC 1812 §4.3.2.3: the error from the pool4 address the packet was sent to. */
  public void toV4(PacketContext c, int type, int code, int rest, PacketSink sink) {
    int o = PacketContext.HEADROOM;
    int copy = Math.min(c.len, TranslatingThePacket.ICMP4_ERROR_MAX - 28);
    System.arraycopy(c.buf, c.off, s, o + 28, copy);
    int icmpLen = 8 + copy;
    s[o + 20] = (byte) type;
    s[o + 21] = (byte) code;
    put16(s, o + 22, 0);
    put32(s, o + 24, rest);
    put16(s, o + 22, InternetChecksum.finish(InternetChecksum.sum(s, o + 20, icmpLen)));
    TranslatingThePacket.ipv4Header(s, o, 0, 20 + icmpLen, 0, 0, 64, 1, i32(c.buf, c.off + 16), i32(c.buf, c.off + 12));
    sink.emit(s, o, 20 + icmpLen, 0, false);
  }
}
