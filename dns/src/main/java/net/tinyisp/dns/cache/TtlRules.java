package net.tinyisp.dns.cache;

import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** How long an upstream answer may be cached, in seconds; 0 means "do not cache". */
public final class TtlRules {
  private TtlRules() {}

  public static long cacheTtl(Message m, long maxTtl) {
    int rcode = m.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return 0; // SERVFAIL, REFUSED...: not cached, the next query asks again
    }
    long ttl = Long.MAX_VALUE;
    boolean positive = false;
    for (Record r : m.getSection(Section.ANSWER)) {
      ttl = Math.min(ttl, r.getTTL()); // RFC 2181 §5.2: an RRset has one TTL; the answer lives as its shortest
      if (r.getType() == m.getQuestion().getType() || m.getQuestion().getType() == Type.ANY) positive = true;
    }
    if (rcode == Rcode.NXDOMAIN || !positive) {
      // RFC 2308 §5: a negative answer is cached for min(SOA TTL, SOA MINIMUM); without an SOA, not at all
      long neg = -1;
      for (Record r : m.getSection(Section.AUTHORITY)) {
        if (r instanceof SOARecord soa) neg = Math.min(soa.getTTL(), soa.getMinimum());
      }
      if (neg < 0) return 0;
      ttl = Math.min(ttl, neg);
    }
    return Math.max(0, Math.min(ttl, maxTtl));
  }
}
