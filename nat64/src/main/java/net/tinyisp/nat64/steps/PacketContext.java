package net.tinyisp.nat64.steps;

import net.tinyisp.nat64.state.BibEntry;
import net.tinyisp.nat64.state.L4Protocol;
import net.tinyisp.nat64.state.Session;

/**
 * The one mutable object a packet's trip through the pipeline carries (Jool's {@code struct xlation}). Each worker
 * thread owns one and resets it per packet, so the hot path allocates nothing. The packet lives in {@code buf}
 * at {@code off}; translation rewrites it in place, moving {@code off} back by 20 bytes (IPv4 to IPv6) or forward
 * (IPv6 to IPv4), which is why readers leave {@link #HEADROOM} bytes in front of it.
 */
public final class PacketContext {
  /** Free bytes readers keep before the packet: 20 for IPv4-to-IPv6 growth, room for a virtio-net header. */
  public static final int HEADROOM = 64;
  public static final int HEADROOM_MIN = 16;

  // the packet
  public byte[] buf;
  public int off;
  public int len;
  public int gsoSize;
  public boolean partialChecksum;

  // DetermineIncomingTuple (RFC 6146 §3.4)
  public boolean fromV6;
  public int l4Off;
  public int l4Len;
  public int nextHeader;
  public L4Protocol protocol;
  public int srcPort;
  public int dstPort;
  public int tcpFlags;
  public boolean icmpError;
  public int innerOff;
  public int innerL4Off;
  public int innerLen;
  public long src6Hi, src6Lo, dst6Hi, dst6Lo;
  public int src4, dst4;
  public int hopLimit;
  public int trafficClass;
  public int ipv4Id;
  public boolean dontFragment;
  public int fragmentId;
  public boolean wasFragmented;

  // FilteringAndUpdating (§3.5)
  public BibEntry bib;
  public Session session;

  // ComputeOutgoingTuple (§3.6): IPv4 side (T,t)->(Z,z) or IPv6 side (Y',y)->(X',x)
  public int outSrc4, outDst4;
  public int outSrcPort, outDstPort;
  public long outSrc6Hi, outSrc6Lo, outDst6Hi, outDst6Lo;

  public DropReason dropReason;
  public int hairpinDepth;
  /** Source of an ICMPv4 error's outer header (the reporting router), mapped into pool6 for the ICMPv6 error. */
  public int icmpOuterSrc4;

  public void reset(byte[] buf, int off, int len) {
    this.buf = buf;
    this.off = off;
    this.len = len;
    this.gsoSize = 0;
    this.partialChecksum = false;
    this.protocol = null;
    this.icmpError = false;
    this.tcpFlags = 0;
    this.bib = null;
    this.session = null;
    this.dropReason = null;
    this.wasFragmented = false;
    this.hairpinDepth = 0;
  }

  public Verdict drop(DropReason reason) {
    this.dropReason = reason;
    return Verdict.DROP;
  }

  public Verdict untranslatable(DropReason reason) {
    this.dropReason = reason;
    return Verdict.UNTRANSLATABLE;
  }
}
