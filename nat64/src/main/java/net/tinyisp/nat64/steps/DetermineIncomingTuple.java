package net.tinyisp.nat64.steps;

import static net.tinyisp.nat64.wire.Bytes.i32;
import static net.tinyisp.nat64.wire.Bytes.i64;
import static net.tinyisp.nat64.wire.Bytes.u16;
import static net.tinyisp.nat64.wire.Bytes.u8;

import net.tinyisp.nat64.state.L4Protocol;
import net.tinyisp.nat64.state.PortAllocator;
import net.tinyisp.nat64.wire.Pool6;

/**
 * RFC 6146 §3.4: parse the packet, find the transport tuple (the inner packet's, reversed, for ICMP errors) and
 * refuse what the NAT64 cannot handle. Every length is checked against the bytes present before it is read.
 * Fragments are reported with {@link #FRAGMENT} so the pipeline reassembles them first.
 */
public final class DetermineIncomingTuple {
  /** Returned for a fragment; {@link #fragment} tells the pipeline to hand it to reassembly. */
  private static final Verdict FRAGMENT = Verdict.CONSUMED;

  private final Pool6 pool6;
  /** Any protocol's allocator: they all hold the same pool4 addresses. */
  private final PortAllocator pool4;

  public DetermineIncomingTuple(Pool6 pool6, PortAllocator pool4) {
    this.pool6 = pool6;
    this.pool4 = pool4;
  }

  // Fragment facts of the last packet run, read by the pipeline when the verdict is CONSUMED.
  boolean fragment;
  int fragOffset;
  boolean moreFragments;

  public Verdict run(PacketContext c) {
    fragment = false;
    if (c.len < 1) return c.drop(DropReason.TRUNCATED);
    int version = (c.buf[c.off] & 0xff) >>> 4;
    if (version == 6) {
      c.fromV6 = true;
      return ipv6(c);
    }
    if (version == 4) {
      c.fromV6 = false;
      return ipv4(c);
    }
    return c.drop(DropReason.BAD_VERSION);
  }

  private Verdict ipv6(PacketContext c) {
    byte[] b = c.buf;
    int o = c.off;
    if (c.len < 40) return c.drop(DropReason.TRUNCATED);
    int payload = u16(b, o + 4);
    if (40 + payload > c.len) return c.drop(DropReason.TRUNCATED);
    c.len = 40 + payload;
    c.trafficClass = u16(b, o) >>> 4 & 0xff;
    c.hopLimit = u8(b, o + 7);
    c.src6Hi = i64(b, o + 8);
    c.src6Lo = i64(b, o + 16);
    c.dst6Hi = i64(b, o + 24);
    c.dst6Lo = i64(b, o + 32);
    if (!pool6.contains(b, o + 24)) return c.drop(DropReason.NOT_POOL6);
    if (pool6.contains(b, o + 8)) return c.drop(DropReason.SOURCE_IN_POOL);
    int end = o + c.len;
    int p = walkExtensionHeaders6(c, b, o + 40, end, u8(b, o + 6), true);
    if (p < 0) return Verdict.DROP;
    c.l4Off = p;
    c.l4Len = end - p;
    if (fragment) return FRAGMENT;
    return transport6(c, b, p, end);
  }

  /**
   * Skips hop-by-hop, destination options, routing (only with segments left 0, RFC 7915 §5.1) and the fragment
   * header; leaves the transport's protocol in {@code c.nextHeader}. Returns the transport offset or -1 (dropped).
   */
  private int walkExtensionHeaders6(PacketContext c, byte[] b, int p, int end, int nh, boolean outer) {
    for (int guard = 0; guard < 8; guard++) {
      switch (nh) {
        case 0, 60, 43 -> {
          if (p + 8 > end) return dropped(c, DropReason.TRUNCATED);
          if (nh == 43 && u8(b, p + 3) != 0) return dropped(c, DropReason.ROUTING_HEADER);
          nh = u8(b, p);
          p += (u8(b, p + 1) + 1) * 8;
        }
        case 44 -> {
          if (p + 8 > end) return dropped(c, DropReason.TRUNCATED);
          int fo = u16(b, p + 2);
          if (outer) {
            fragOffset = fo & 0xfff8;
            moreFragments = (fo & 1) != 0;
            c.fragmentId = i32(b, p + 4);
            c.wasFragmented = true;
            fragment = fragOffset != 0 || moreFragments;
            if (fragOffset != 0) {
              // a non-first fragment carries data, not headers, after the Fragment Header
              c.nextHeader = u8(b, p);
              return p + 8;
            }
          } else if ((fo & 0xfff8) != 0) {
            return dropped(c, DropReason.ICMP_ERROR_INVALID); // inner non-first fragment: no ports to map
          }
          nh = u8(b, p);
          p += 8;
        }
        default -> {
          if (p > end) return dropped(c, DropReason.TRUNCATED);
          c.nextHeader = nh;
          return p;
        }
      }
    }
    return dropped(c, DropReason.UNKNOWN_PROTOCOL);
  }

  private static int dropped(PacketContext c, DropReason r) {
    c.drop(r);
    return -1;
  }

  private Verdict transport6(PacketContext c, byte[] b, int p, int end) {
    switch (c.nextHeader) {
      case 6, 17 -> {
        if (!ports(c, b, p, end, c.nextHeader == 6)) return c.drop(DropReason.TRUNCATED);
        return Verdict.CONTINUE;
      }
      case 58 -> {
        if (p + 8 > end) return c.drop(DropReason.TRUNCATED);
        int type = u8(b, p);
        c.protocol = L4Protocol.ICMP;
        if (type == 128 || type == 129) {
          c.srcPort = c.dstPort = u16(b, p + 4);
          return Verdict.CONTINUE;
        }
        if (type >= 1 && type <= 4) {
          return inner6(c, b, p + 8, end);
        }
        return c.untranslatable(DropReason.ICMP_UNTRANSLATABLE);
      }
      default -> {
        return c.untranslatable(DropReason.UNKNOWN_PROTOCOL);
      }
    }
  }

  private boolean ports(PacketContext c, byte[] b, int p, int end, boolean tcp) {
    c.protocol = tcp ? L4Protocol.TCP : L4Protocol.UDP;
    if (p + (tcp ? 20 : 8) > end) return false;
    c.srcPort = u16(b, p);
    c.dstPort = u16(b, p + 2);
    c.tcpFlags = tcp ? u8(b, p + 13) : 0;
    return true;
  }

  /**
   * RFC 6146 §3.4 for an ICMPv6 error: the tuple is the inner packet's with source and destination swapped. The
   * inner packet went from pool6 (Y',y) to the IPv6 host (X',x); store X' as source so the lookup is outbound.
   */
  private Verdict inner6(PacketContext c, byte[] b, int ip, int end) {
    c.icmpError = true;
    if (ip + 40 > end) return c.drop(DropReason.ICMP_ERROR_INVALID);
    if ((u8(b, ip) >>> 4) != 6) return c.drop(DropReason.ICMP_ERROR_INVALID);
    c.innerOff = ip;
    c.innerLen = end - ip;
    if (!pool6.contains(b, ip + 8)) return c.drop(DropReason.ICMP_ERROR_INVALID);
    c.src6Hi = i64(b, ip + 24);
    c.src6Lo = i64(b, ip + 32);
    c.dst6Hi = i64(b, ip + 8);
    c.dst6Lo = i64(b, ip + 16);
    int q = walkExtensionHeaders6(c, b, ip + 40, end, u8(b, ip + 6), false);
    if (q < 0) return Verdict.DROP;
    c.innerL4Off = q;
    switch (c.nextHeader) {
      case 6, 17 -> {
        // an ICMP error carries at least the first 8 bytes of the transport header: both ports
        c.protocol = c.nextHeader == 6 ? L4Protocol.TCP : L4Protocol.UDP;
        if (q + 8 > end) return c.drop(DropReason.ICMP_ERROR_INVALID);
        c.srcPort = u16(b, q + 2);
        c.dstPort = u16(b, q);
        return Verdict.CONTINUE;
      }
      case 58 -> {
        if (q + 8 > end) return c.drop(DropReason.ICMP_ERROR_INVALID);
        int t = u8(b, q);
        if (t != 128 && t != 129) return c.drop(DropReason.ICMP_ERROR_INVALID); // RFC 7915 §5.3: no nested errors
        c.protocol = L4Protocol.ICMP;
        c.srcPort = c.dstPort = u16(b, q + 4);
        return Verdict.CONTINUE;
      }
      default -> {
        return c.drop(DropReason.ICMP_ERROR_INVALID);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------- v4


  private Verdict ipv4(PacketContext c) {
    byte[] b = c.buf;
    int o = c.off;
    if (c.len < 20) return c.drop(DropReason.TRUNCATED);
    int ihl = (b[o] & 0x0f) * 4;
    int total = u16(b, o + 2);
    if (ihl < 20 || total < ihl) return c.drop(DropReason.BAD_IPV4_HEADER);
    if (total > c.len) return c.drop(DropReason.TRUNCATED);
    c.len = total;
    c.trafficClass = u8(b, o + 1);
    c.ipv4Id = u16(b, o + 4);
    int ff = u16(b, o + 6);
    c.dontFragment = (ff & 0x4000) != 0;
    fragOffset = (ff & 0x1fff) * 8;
    moreFragments = (ff & 0x2000) != 0;
    c.hopLimit = u8(b, o + 8);
    c.nextHeader = u8(b, o + 9);
    c.src4 = i32(b, o + 12);
    c.dst4 = i32(b, o + 16);
    c.icmpOuterSrc4 = c.src4;
    if (!pool4.isPoolAddress(c.dst4)) return c.drop(DropReason.NOT_POOL4);
    // a hairpinned packet (RFC 6146 §3.8) comes from our own pool4 by design
    if (c.hairpinDepth == 0 && pool4.isPoolAddress(c.src4)) return c.drop(DropReason.SOURCE_IN_POOL);
    int p = o + ihl;
    int end = o + total;
    c.l4Off = p;
    c.l4Len = end - p;
    if (fragOffset != 0 || moreFragments) {
      fragment = true;
      c.wasFragmented = true;
      return FRAGMENT;
    }
    switch (c.nextHeader) {
      case 6, 17 -> {
        if (!ports(c, b, p, end, c.nextHeader == 6)) return c.drop(DropReason.TRUNCATED);
        return Verdict.CONTINUE;
      }
      case 1 -> {
        if (p + 8 > end) return c.drop(DropReason.TRUNCATED);
        int type = u8(b, p);
        c.protocol = L4Protocol.ICMP;
        if (type == 8 || type == 0) {
          c.srcPort = c.dstPort = u16(b, p + 4);
          return Verdict.CONTINUE;
        }
        if (type == 3 || type == 11 || type == 12) {
          return inner4(c, b, p + 8, end);
        }
        return c.untranslatable(DropReason.ICMP_UNTRANSLATABLE);
      }
      default -> {
        return c.untranslatable(DropReason.UNKNOWN_PROTOCOL);
      }
    }
  }

  /** The inner packet went from (T,t) to (Z,z); store Z as source and T as destination, like an inbound packet. */
  private Verdict inner4(PacketContext c, byte[] b, int ip, int end) {
    c.icmpError = true;
    if (ip + 20 > end || (u8(b, ip) >>> 4) != 4) return c.drop(DropReason.ICMP_ERROR_INVALID);
    int ihl = (b[ip] & 0x0f) * 4;
    if (ihl < 20 || ip + ihl + 8 > end) return c.drop(DropReason.ICMP_ERROR_INVALID);
    if ((u16(b, ip + 6) & 0x1fff) != 0) return c.drop(DropReason.ICMP_ERROR_INVALID);
    c.innerOff = ip;
    c.innerLen = end - ip;
    c.innerL4Off = ip + ihl;
    c.dst4 = i32(b, ip + 12);
    c.src4 = i32(b, ip + 16);
    if (!pool4.isPoolAddress(c.dst4)) return c.drop(DropReason.ICMP_ERROR_INVALID);
    int q = ip + ihl;
    c.nextHeader = u8(b, ip + 9);
    switch (c.nextHeader) {
      case 6, 17 -> {
        c.protocol = c.nextHeader == 6 ? L4Protocol.TCP : L4Protocol.UDP;
        c.dstPort = u16(b, q);
        c.srcPort = u16(b, q + 2);
        return Verdict.CONTINUE;
      }
      case 1 -> {
        int t = u8(b, q);
        if (t != 8 && t != 0) return c.drop(DropReason.ICMP_ERROR_INVALID);
        c.protocol = L4Protocol.ICMP;
        c.srcPort = c.dstPort = u16(b, q + 4);
        return Verdict.CONTINUE;
      }
      default -> {
        return c.drop(DropReason.ICMP_ERROR_INVALID);
      }
    }
  }
}
