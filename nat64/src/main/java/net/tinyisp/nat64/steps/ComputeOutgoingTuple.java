package net.tinyisp.nat64.steps;

import net.tinyisp.nat64.state.L4Protocol;
import net.tinyisp.nat64.wire.Bytes;
import net.tinyisp.nat64.wire.Pool6;

/**
 * RFC 6146 §3.6: the tuple the translated packet carries. IPv6 to IPv4: (X',x)->(Y',y) becomes (T,t)->(Z,y) with Z
 * extracted from Y'. IPv4 to IPv6: (Z,z)->(T,t) becomes (pool6(Z),z)->(X',x). For ICMP queries the identifier is
 * the port. For ICMP errors these are the inner packet's addresses, reversed back by the translator.
 */
public final class ComputeOutgoingTuple {
  private final Pool6 pool6;
  private final byte[] tmp = new byte[16];

  public ComputeOutgoingTuple(Pool6 pool6) {
    this.pool6 = pool6;
  }

  public Verdict run(PacketContext c) {
    if (c.fromV6) {
      c.outSrc4 = c.bib.v4Addr;
      c.outSrcPort = c.bib.v4Port;
      Bytes.put64(tmp, 0, c.dst6Hi);
      Bytes.put64(tmp, 8, c.dst6Lo);
      c.outDst4 = pool6.extract(tmp, 0);
      c.outDstPort = c.protocol == L4Protocol.ICMP ? c.bib.v4Port : c.dstPort;
    } else {
      pool6.embed(c.src4, tmp, 0);
      c.outSrc6Hi = Bytes.i64(tmp, 0);
      c.outSrc6Lo = Bytes.i64(tmp, 8);
      c.outSrcPort = c.protocol == L4Protocol.ICMP ? c.bib.v6Port : c.srcPort;
      c.outDst6Hi = c.bib.v6Hi;
      c.outDst6Lo = c.bib.v6Lo;
      c.outDstPort = c.bib.v6Port;
    }
    return Verdict.CONTINUE;
  }
}
