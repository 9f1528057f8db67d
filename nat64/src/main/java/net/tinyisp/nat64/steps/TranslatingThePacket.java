package net.tinyisp.nat64.steps;

import static net.tinyisp.nat64.wire.Bytes.i32;
import static net.tinyisp.nat64.wire.Bytes.i64;
import static net.tinyisp.nat64.wire.Bytes.put16;
import static net.tinyisp.nat64.wire.Bytes.put32;
import static net.tinyisp.nat64.wire.Bytes.put64;
import static net.tinyisp.nat64.wire.Bytes.u16;
import static net.tinyisp.nat64.wire.Bytes.u8;

import net.tinyisp.nat64.state.L4Protocol;
import net.tinyisp.net.checksum.InternetChecksum;
import net.tinyisp.nat64.wire.IcmpMapping;
import net.tinyisp.nat64.wire.Pool6;

/**
 * RFC 6146 §3.7: the RFC 7915 header translation. Plain packets are rewritten in place: the new IP header is
 * written right before the transport header (20 bytes shorter or longer), and the transport checksum is updated
 * incrementally (RFC 1624) for the address and port changes, so a 64 KB super-packet costs the same as a small
 * one. ICMP errors are rebuilt in a scratch buffer because their inner packet changes size too.
 */
public final class TranslatingThePacket {
  /** RFC 7915 §5.1: an IPv4 packet up to 1260 bytes gets DF=0, since its IPv6 sender cannot get a PTB below 1280. */
  static final int DF_THRESHOLD = 1260;
  /** RFC 1812 §4.3.2.3: an ICMPv4 error should not exceed 576 bytes. */
  static final int ICMP4_ERROR_MAX = 576;

  private final int lowestIpv6Mtu;
  private final byte[] scratch = new byte[PacketContext.HEADROOM + 65536];
  private int nextId = 1;

  private final Pool6 pool6;
  private final byte[] router6 = new byte[16];

  public TranslatingThePacket(int lowestIpv6Mtu, Pool6 pool6) {
    this.lowestIpv6Mtu = lowestIpv6Mtu;
    this.pool6 = pool6;
  }

  public Verdict run(PacketContext c, PacketSink sink) {
    if (c.fromV6) {
      return c.icmpError ? error6to4(c, sink) : plain6to4(c);
    }
    return c.icmpError ? error4to6(c, sink) : plain4to6(c, sink);
  }

  private static long sum6(long hi, long lo) {
    return (hi >>> 48) + (hi >>> 32 & 0xffff) + (hi >>> 16 & 0xffff) + (hi & 0xffff)
        + (lo >>> 48) + (lo >>> 32 & 0xffff) + (lo >>> 16 & 0xffff) + (lo & 0xffff);
  }

  /** RFC 8200 §8.1 pseudo-header words other than the addresses: upper-layer length and next header. */
  static long pseudoTail(int length, int protocol) {
    return (length >>> 16) + (length & 0xffff) + protocol;
  }

  /**
   * RFC 1624 for a field holding the uncomplemented pseudo-header sum (virtio-net NEEDS_CSUM): the kernel finishes
   * the checksum, so the field changes by exactly the difference of the sums.
   */
  static int adjustPartial(int partial, int oldSum, int newSum) {
    long s = (partial & 0xffff) + (~oldSum & 0xffff) + (newSum & 0xffff);
    return InternetChecksum.fold(s);
  }

  private static long sum4(int a) {
    return (a >>> 16) + (a & 0xffff);
  }

  // ------------------------------------------------------------------------------------------------- IPv6 -> IPv4

  /** RFC 7915 §5.1 (header) and §5.3/§5.5 (transport). */
  private Verdict plain6to4(PacketContext c) {
    byte[] b = c.buf;
    int l4 = c.l4Off;
    int n = c.l4Len;
    int total = 20 + n;
    if (total > 65535) return c.drop(DropReason.TOO_BIG);
    long oldAddr = sum6(c.src6Hi, c.src6Lo) + sum6(c.dst6Hi, c.dst6Lo);
    long newAddr = sum4(c.outSrc4) + sum4(c.outDst4);
    int proto;
    switch (c.protocol) {
      case TCP, UDP -> {
        proto = c.protocol.v4Number;
        transport(c, b, l4, oldAddr, newAddr, c.srcPort, c.dstPort, c.outSrcPort, c.outDstPort);
      }
      default -> {
        proto = 1;
        // ICMPv6 echo -> ICMPv4 echo (§5.2): new type, identifier t, checksum without pseudo-header
        b[l4] = (byte) (u8(b, l4) == 128 ? 8 : 0);
        b[l4 + 1] = 0;
        put16(b, l4 + 4, c.outSrcPort);
        put16(b, l4 + 2, 0);
        put16(b, l4 + 2, InternetChecksum.finish(InternetChecksum.sum(b, l4, n)));
      }
    }
    int h = l4 - 20;
    int id;
    int flags;
    if (c.wasFragmented) {
      id = c.fragmentId & 0xffff; // §5.1.1: the low 16 bits of the Fragment Header's identification
      flags = 0;
    } else if (total > DF_THRESHOLD || c.gsoSize > 0) {
      id = 0;
      flags = 0x4000;
    } else {
      id = nextId++ & 0xffff;
      flags = 0;
    }
    ipv4Header(b, h, c.trafficClass, total, id, flags, c.hopLimit - 1, proto, c.outSrc4, c.outDst4);
    c.off = h;
    c.len = total;
    return Verdict.CONTINUE;
  }

  static void ipv4Header(byte[] b, int h, int tos, int total, int id, int flags, int ttl, int proto, int src, int dst) {
    b[h] = 0x45;
    b[h + 1] = (byte) tos;
    put16(b, h + 2, total);
    put16(b, h + 4, id);
    put16(b, h + 6, flags);
    b[h + 8] = (byte) ttl;
    b[h + 9] = (byte) proto;
    put16(b, h + 10, 0);
    put32(b, h + 12, src);
    put32(b, h + 16, dst);
    put16(b, h + 10, InternetChecksum.finish(InternetChecksum.sum(b, h, 20)));
  }

  static void ipv6Header(byte[] b, int h, int tc, int payload, int nh, int hop, long sHi, long sLo, long dHi, long dLo) {
    put32(b, h, 6 << 28 | (tc & 0xff) << 20);
    put16(b, h + 4, payload);
    b[h + 6] = (byte) nh;
    b[h + 7] = (byte) hop;
    put64(b, h + 8, sHi);
    put64(b, h + 16, sLo);
    put64(b, h + 24, dHi);
    put64(b, h + 32, dLo);
  }

  /**
   * Rewrites ports and updates the TCP/UDP checksum for the new pseudo-header addresses and ports (RFC 1624). A
   * partial checksum (virtio-net NEEDS_CSUM) holds only the pseudo-header sum, so only the addresses change it.
   */
  private static void transport(PacketContext c, byte[] b, int l4, long oldAddr, long newAddr,
      int oldSp, int oldDp, int newSp, int newDp) {
    boolean tcp = c.protocol == L4Protocol.TCP;
    int cs = l4 + (tcp ? 16 : 6);
    put16(b, l4, newSp);
    put16(b, l4 + 2, newDp);
    int old = u16(b, cs);
    if (c.partialChecksum) {
      put16(b, cs, adjustPartial(old, InternetChecksum.fold(oldAddr), InternetChecksum.fold(newAddr)));
      return;
    }
    if (!tcp && old == 0) {
      // RFC 7915 §4.5: an IPv4 UDP datagram without checksum gets one computed for IPv6 (whole datagram present:
      // fragments were reassembled before translation)
      long s = newAddr + pseudoTail(c.l4Len, 17) + InternetChecksum.sum(b, l4, c.l4Len);
      int v = InternetChecksum.finish(s);
      put16(b, cs, v == 0 ? 0xffff : v);
      return;
    }
    int v = InternetChecksum.adjust(old, oldAddr + oldSp + oldDp, newAddr + newSp + newDp);
    put16(b, cs, !tcp && v == 0 ? 0xffff : v);
  }

  // ------------------------------------------------------------------------------------------------- IPv4 -> IPv6

  /** RFC 7915 §4.1 (header), §4.2 (echo) and §4.4/§4.5 (transport); fragments per §4.1 when DF is clear. */
  private Verdict plain4to6(PacketContext c, PacketSink sink) {
    byte[] b = c.buf;
    int l4 = c.l4Off;
    int n = c.l4Len;
    long oldAddr = sum4(c.src4) + sum4(c.dst4);
    long newAddr = sum6(c.outSrc6Hi, c.outSrc6Lo) + sum6(c.outDst6Hi, c.outDst6Lo);
    int nh;
    switch (c.protocol) {
      case TCP, UDP -> {
        nh = c.protocol.v6Number;
        transport(c, b, l4, oldAddr, newAddr, c.srcPort, c.dstPort, c.outSrcPort, c.outDstPort);
      }
      default -> {
        nh = 58;
        b[l4] = (byte) (u8(b, l4) == 8 ? 128 : 129);
        b[l4 + 1] = 0;
        put16(b, l4 + 4, c.outDstPort);
        put16(b, l4 + 2, 0);
        long s = newAddr + pseudoTail(n, 58) + InternetChecksum.sum(b, l4, n);
        put16(b, l4 + 2, InternetChecksum.finish(s));
      }
    }
    int h = l4 - 40;
    ipv6Header(b, h, c.trafficClass, n, nh, c.hopLimit - 1, c.outSrc6Hi, c.outSrc6Lo, c.outDst6Hi, c.outDst6Lo);
    c.off = h;
    c.len = 40 + n;
    if (!c.dontFragment && c.gsoSize == 0 && c.len > lowestIpv6Mtu) {
      fragment6(c, sink, nh);
      return Verdict.CONSUMED;
    }
    return Verdict.CONTINUE;
  }

  /**
   * RFC 7915 §4.1: an IPv4 packet with DF clear that does not fit the lowest IPv6 MTU is sent as IPv6 fragments,
   * with the IPv4 identification in the Fragment Header, so no IPv6 router needs to send Packet Too Big.
   */
  private void fragment6(PacketContext c, PacketSink sink, int nh) {
    byte[] b = c.buf;
    int payloadOff = c.off + 40;
    int payload = c.len - 40;
    int chunkMax = (lowestIpv6Mtu - 48) & ~7;
    int id = c.ipv4Id;
    for (int done = 0; done < payload; ) {
      int chunk = Math.min(chunkMax, payload - done);
      boolean more = done + chunk < payload;
      int o = PacketContext.HEADROOM;
      System.arraycopy(b, c.off, scratch, o, 40);
      put16(scratch, o + 4, chunk + 8);
      scratch[o + 6] = 44;
      scratch[o + 40] = (byte) nh;
      scratch[o + 41] = 0;
      put16(scratch, o + 42, done | (more ? 1 : 0));
      put32(scratch, o + 44, id);
      System.arraycopy(b, payloadOff + done, scratch, o + 48, chunk);
      sink.emit(scratch, o, 48 + chunk, 0, false);
      done += chunk;
    }
  }

  // ------------------------------------------------------------------------------------------------- ICMP errors

  /**
   * RFC 7915 §5.2/§5.3 with RFC 6146 §3.6: an ICMPv6 error about a packet that went (Y',y) to (X',x) becomes an
   * ICMPv4 error from T to Z about (Z,z) to (T,t).
   */
  private Verdict error6to4(PacketContext c, PacketSink sink) {
    byte[] b = c.buf;
    int icmp = c.l4Off;
    IcmpMapping.Mapped m = IcmpMapping.v6ToV4(u8(b, icmp), u8(b, icmp + 1), i32(b, icmp + 4));
    if (m == null) return c.untranslatable(DropReason.ICMP_UNTRANSLATABLE);
    byte[] s = scratch;
    int o = PacketContext.HEADROOM;
    int ih = o + 28; // inner IPv4 header
    int innerPayloadLen = u16(b, c.innerOff + 4) - (c.innerL4Off - c.innerOff - 40);
    int innerHop = u8(b, c.innerOff + 7);
    int innerTc = u16(b, c.innerOff) >>> 4 & 0xff;
    int innerProto = c.protocol == L4Protocol.ICMP ? 1 : c.protocol.v4Number;
    int avail = c.l4Off + c.l4Len - c.innerL4Off;
    int copy = Math.min(avail, ICMP4_ERROR_MAX - 48);
    System.arraycopy(b, c.innerL4Off, s, ih + 20, copy);
    int il4 = ih + 20;
    long oldAddr = sum6(i64(b, c.innerOff + 8), i64(b, c.innerOff + 16)) + sum6(i64(b, c.innerOff + 24), i64(b, c.innerOff + 32));
    long newAddr = sum4(c.outDst4) + sum4(c.outSrc4);
    innerTransport(s, il4, copy, c.protocol, true, oldAddr, newAddr, c.srcPort, c.outSrcPort, innerPayloadLen);
    ipv4Header(s, ih, innerTc, 20 + innerPayloadLen, 0, 0, innerHop, innerProto, c.outDst4, c.outSrc4);
    int icmpLen = 8 + 20 + copy;
    s[o + 20] = (byte) m.type();
    s[o + 21] = (byte) m.code();
    put16(s, o + 22, 0);
    put32(s, o + 24, m.rest());
    put16(s, o + 22, InternetChecksum.finish(InternetChecksum.sum(s, o + 20, icmpLen)));
    ipv4Header(s, o, c.trafficClass, 20 + icmpLen, 0, 0, c.hopLimit - 1, 1, c.outSrc4, c.outDst4);
    sink.emit(s, o, 20 + icmpLen, 0, false);
    return Verdict.CONSUMED;
  }

  /**
   * RFC 7915 §4.2/§4.3 with RFC 6146 §3.6: an ICMPv4 error from router R about (T,t) to (Z,z) becomes an ICMPv6
   * error from pool6(R) to X' about (X',x) to (pool6(Z),z), at most 1280 bytes (RFC 4443 §2.4 (c)).
   */
  private Verdict error4to6(PacketContext c, PacketSink sink) {
    byte[] b = c.buf;
    int icmp = c.l4Off;
    int innerTotal = u16(b, c.innerOff + 2);
    int innerIhl = c.innerL4Off - c.innerOff;
    IcmpMapping.Mapped m = IcmpMapping.v4ToV6(u8(b, icmp), u8(b, icmp + 1), i32(b, icmp + 4), innerTotal, lowestIpv6Mtu);
    if (m == null) return c.untranslatable(DropReason.ICMP_UNTRANSLATABLE);
    byte[] s = scratch;
    int o = PacketContext.HEADROOM;
    int ih = o + 48;
    int il4 = ih + 40;
    int avail = c.l4Off + c.l4Len - c.innerL4Off;
    int copy = Math.min(avail, 1280 - 88);
    System.arraycopy(b, c.innerL4Off, s, il4, copy);
    int innerPayloadLen = Math.max(0, innerTotal - innerIhl);
    long oldAddr = sum4(c.dst4) + sum4(c.src4);
    long newAddr = sum6(c.outDst6Hi, c.outDst6Lo) + sum6(c.outSrc6Hi, c.outSrc6Lo);
    innerTransport(s, il4, copy, c.protocol, false, oldAddr, newAddr, c.dstPort, c.outDstPort, innerPayloadLen);
    int innerNh = c.protocol == L4Protocol.ICMP ? 58 : c.protocol.v6Number;
    ipv6Header(s, ih, u8(b, c.innerOff + 1), innerPayloadLen, innerNh, u8(b, c.innerOff + 8),
        c.outDst6Hi, c.outDst6Lo, c.outSrc6Hi, c.outSrc6Lo);
    int icmpLen = 8 + 40 + copy;
    s[o + 40] = (byte) m.type();
    s[o + 41] = (byte) m.code();
    put16(s, o + 42, 0);
    put32(s, o + 44, m.rest());
    // outer: from pool6(R), the reporting router, to X'
    byte[] r = router6;
    pool6.embed(c.icmpOuterSrc4, r, 0);
    long rHi = i64(r, 0);
    long rLo = i64(r, 8);
    ipv6Header(s, o, c.trafficClass, icmpLen, 58, c.hopLimit - 1, rHi, rLo, c.outDst6Hi, c.outDst6Lo);
    long sum = sum6(rHi, rLo) + sum6(c.outDst6Hi, c.outDst6Lo) + pseudoTail(icmpLen, 58)
        + InternetChecksum.sum(s, o + 40, icmpLen);
    put16(s, o + 42, InternetChecksum.finish(sum));
    sink.emit(s, o, 40 + icmpLen, 0, false);
    return Verdict.CONSUMED;
  }

  /**
   * The inner packet's transport header: rewrite the port of our side ({@code oldPort} to {@code newPort}: the
   * destination port of an inner 6-to-4 packet, the source port of an inner 4-to-6 one) and update its checksum if
   * the truncated copy still contains it. Inner ICMP echo gains or loses the IPv6 pseudo-header in its checksum.
   */
  private static void innerTransport(byte[] s, int l4, int have, L4Protocol p, boolean sixToFour, long oldAddr,
      long newAddr, int oldPort, int newPort, int innerPayloadLen) {
    switch (p) {
      case TCP, UDP -> {
        int portOff = l4 + (sixToFour ? 2 : 0);
        if (have >= portOff - l4 + 2) put16(s, portOff, newPort);
        int cs = l4 + (p == L4Protocol.TCP ? 16 : 6);
        if (have >= cs - l4 + 2) {
          int old = u16(s, cs);
          if (p == L4Protocol.UDP && old == 0) return;
          put16(s, cs, InternetChecksum.adjust(old, oldAddr + oldPort, newAddr + newPort));
        }
      }
      case ICMP -> {
        int type = u8(s, l4);
        int newType = sixToFour ? (type == 128 ? 8 : 0) : (type == 8 ? 128 : 129);
        long oldSum = (long) (type << 8) + oldPort;
        long newSum = (long) (newType << 8) + newPort;
        long pseudo = oldAddr + pseudoTail(innerPayloadLen, 58);
        if (sixToFour) {
          oldSum += pseudo;
        } else {
          newSum += newAddr + pseudoTail(innerPayloadLen, 58);
        }
        s[l4] = (byte) newType;
        put16(s, l4 + 4, newPort);
        put16(s, l4 + 2, InternetChecksum.adjust(u16(s, l4 + 2), oldSum, newSum));
      }
    }
  }
}
