package net.tinyisp.dns.dns64;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The DNS64 decisions of RFC 6147 §5.1 and §5.5 on upstream answers. Pure: answers in, an answer out. The blocks
 * passed in are the ones that apply to the client (its {@code clients} ACL matched), so one cached upstream answer
 * serves clients with different views.
 */
public final class Synthesizer {
  /** RFC 6147 §5.1.7: without an SOA, the synthesized TTL is at most 600 seconds. */
  static final long NO_SOA_TTL = 600;

  private Synthesizer() {}

  /**
   * RFC 6147 §5.1.1-§5.1.2 and §5.5: whether a AAAA answer must be completed by an A query. Not for NXDOMAIN
   * (passes through), not when a usable AAAA exists, not when the client set DO and CD (it validates itself).
   */
  public static boolean needsSynthesis(Message aaaa, List<Dns64Block> blocks, boolean dnssecOk, boolean cd) {
    if (blocks.isEmpty() || (dnssecOk && cd)) return false;
    int rcode = aaaa.getRcode();
    if (rcode == Rcode.NXDOMAIN) return false; // §5.1.2: NXDOMAIN passes through
    if (rcode != Rcode.NOERROR) return true; // §5.1.2: any other error is treated as an empty answer
    for (Record r : aaaa.getSection(Section.ANSWER)) {
      if (r instanceof AAAARecord a && usable(a, blocks)) return false; // §5.1.4: never hide real AAAA
    }
    return true;
  }

  /** §5.1.4: a AAAA inside an exclude list counts as absent; it is usable if some applying block keeps it. */
  static boolean usable(AAAARecord r, List<Dns64Block> blocks) {
    byte[] a = r.getAddress().getAddress();
    if (a.length == 4) a = mapped(a); // Java folds ::ffff:a.b.c.d into IPv4
    for (Dns64Block b : blocks) if (!b.exclude().allows(a)) return true;
    return blocks.isEmpty();
  }

  private static byte[] mapped(byte[] v4) {
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(v4, 0, v6, 12, 4);
    return v6;
  }

  /** The AAAA answer as the client gets it when no synthesis happens: excluded AAAA records removed (§5.1.4). */
  public static Message passThrough(Message aaaa, List<Dns64Block> blocks) {
    if (blocks.isEmpty() || aaaa.getRcode() != Rcode.NOERROR) return aaaa;
    boolean any = false;
    for (Record r : aaaa.getSection(Section.ANSWER)) {
      if (r instanceof AAAARecord a && !usable(a, blocks)) any = true;
    }
    if (!any) return aaaa;
    Message out = aaaa.clone();
    out.removeAllRecords(Section.ANSWER);
    for (Record r : aaaa.getSection(Section.ANSWER)) {
      if (!(r instanceof AAAARecord a) || usable(a, blocks)) out.addRecord(r, Section.ANSWER);
    }
    return out;
  }

  /** An answer and whether it carries synthesized records. */
  public record Result(Message message, boolean synthesized) {}

  /**
   * §5.1.4-§5.1.7: builds the synthesized answer from the A answer for the same name. Falls back to the AAAA
   * answer unchanged when the A query failed, had no A records, or every A was filtered out by {@code mapped} or
   * §5.5 (DO set, A signed, {@code break-dnssec no}); so {@code mapped !10/8} on a 10/8-only name gives NODATA.
   */
  public static Result synthesize(Message aaaa, Message a, List<Dns64Block> blocks, boolean dnssecOk) {
    if (a == null || a.getRcode() != Rcode.NOERROR) {
      return new Result(aaaa, false); // §5.1.2: the A query failed too: the original answer stands
    }
    long negTtl = negativeTtl(aaaa);
    List<Record> answer = a.getSection(Section.ANSWER);
    boolean aSigned = false;
    for (Record r : answer) {
      if (r instanceof RRSIGRecord s && s.getTypeCovered() == Type.A) aSigned = true;
    }
    List<Record> synthesized = new ArrayList<>();
    for (Record r : answer) {
      if (!(r instanceof ARecord ar)) continue;
      byte[] v4 = ar.getAddress().getAddress();
      for (Dns64Block b : blocks) {
        if (!b.mapped().allows(v4)) continue; // bind's mapped ACL
        if (dnssecOk && aSigned && !b.breakDnssec()) continue; // §5.5
        long ttl = Math.min(ar.getTTL(), negTtl); // §5.1.7
        synthesized.add(new AAAARecord(ar.getName(), DClass.IN, ttl, address(b.rfc6052().embed(v4))));
      }
    }
    if (synthesized.isEmpty()) return new Result(aaaa, false);
    Message out = new Message();
    out.getHeader().setRcode(Rcode.NOERROR);
    if (a.getHeader().getFlag(Flags.RA)) out.getHeader().setFlag(Flags.RA);
    // §5.1.4 / §5.3: the CNAME/DNAME chain is kept, the synthesized records come at its end; A and its
    // signatures go (they do not answer a AAAA question); the A answer's Authority and Additional stay.
    for (Record r : answer) {
      if (r instanceof ARecord) continue;
      if (r instanceof RRSIGRecord s && s.getTypeCovered() == Type.A) continue;
      out.addRecord(r, Section.ANSWER);
    }
    for (Record r : synthesized) out.addRecord(r, Section.ANSWER);
    for (Record r : a.getSection(Section.AUTHORITY)) out.addRecord(r, Section.AUTHORITY);
    for (Record r : a.getSection(Section.ADDITIONAL)) {
      if (r.getType() != Type.OPT) out.addRecord(r, Section.ADDITIONAL);
    }
    return new Result(out, true);
  }

  /** §5.1.7: the SOA's negative TTL, min(SOA TTL, MINIMUM) per RFC 2308 §5; 600 when no SOA came with it. */
  static long negativeTtl(Message aaaa) {
    for (Record r : aaaa.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) return Math.min(soa.getTTL(), soa.getMinimum());
    }
    return NO_SOA_TTL;
  }

  static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
