package net.tinyisp.dns.dns64;

import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers the DNS64 gives itself without asking upstream: {@code ipv4only.arpa} (RFC 8880 §7.2, so clients can
 * discover the prefix by RFC 7050) and the reverse of synthesized addresses (RFC 6147 §5.3.1, bind's form: a CNAME
 * from the ip6.arpa name to the in-addr.arpa name of the embedded IPv4 address).
 */
public final class LocalAnswers {
  public static final Name IPV4ONLY = name("ipv4only.arpa.");
  static final long IPV4ONLY_TTL = 86_400;
  private static final byte[][] WELL_KNOWN = {{(byte) 192, 0, 0, (byte) 170}, {(byte) 192, 0, 0, (byte) 171}};
  private static final Name IP6_ARPA = name("ip6.arpa.");

  private LocalAnswers() {}

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean isIpv4OnlyArpa(Name qname) {
    return qname.subdomain(IPV4ONLY);
  }

  /** RFC 8880 §7.2: A gives the two well-known addresses, AAAA their synthesis per prefix, other types NODATA. */
  public static Message ipv4OnlyArpa(Name qname, int qtype, List<Dns64Block> blocks) {
    Message m = new Message();
    SOARecord soa = new SOARecord(IPV4ONLY, DClass.IN, IPV4ONLY_TTL, name("localhost."), name("nobody.invalid."),
        1, 3600, 1200, 604800, 3600);
    if (!qname.equals(IPV4ONLY)) {
      m.getHeader().setRcode(Rcode.NXDOMAIN);
      m.addRecord(soa, Section.AUTHORITY);
      return m;
    }
    for (byte[] v4 : WELL_KNOWN) {
      if (qtype == Type.A) {
        m.addRecord(new ARecord(IPV4ONLY, DClass.IN, IPV4ONLY_TTL, Synthesizer.address(v4)), Section.ANSWER);
      } else if (qtype == Type.AAAA) {
        for (Dns64Block b : blocks) {
          m.addRecord(new AAAARecord(IPV4ONLY, DClass.IN, IPV4ONLY_TTL, Synthesizer.address(b.rfc6052().embed(v4))),
              Section.ANSWER);
        }
      }
    }
    if (m.getSection(Section.ANSWER).isEmpty()) m.addRecord(soa, Section.AUTHORITY);
    return m;
  }

  /**
   * The in-addr.arpa name a PTR question maps to when it is the full ip6.arpa name of an address inside one of
   * the blocks' prefixes; null otherwise (the question then goes upstream unchanged).
   */
  public static Name reverseTarget(Name qname, List<Dns64Block> blocks) {
    if (qname.labels() != 32 + 3 || !qname.subdomain(IP6_ARPA)) return null;
    byte[] v6 = new byte[16];
    for (int i = 0; i < 32; i++) {
      String l = qname.getLabelString(i);
      if (l.length() != 1) return null;
      int nib = Character.digit(l.charAt(0), 16);
      if (nib < 0) return null;
      int n = 31 - i; // label 0 is the least significant nibble
      v6[n / 2] |= (byte) (n % 2 == 0 ? nib << 4 : nib);
    }
    for (Dns64Block b : blocks) {
      if (!qname.subdomain(b.reverseZone())) continue;
      byte[] v4 = b.rfc6052().extract(v6);
      if (v4 == null) continue;
      return name((v4[3] & 0xff) + "." + (v4[2] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[0] & 0xff)
          + ".in-addr.arpa.");
    }
    return null;
  }

  /** §5.3.1: CNAME to the IPv4 reverse name, followed by whatever the IPv4 reverse lookup answered. */
  public static Message reverse(Name qname, Name target, Message targetAnswer) {
    Message m = new Message();
    long ttl = IPV4ONLY_TTL;
    int rcode = Rcode.NOERROR;
    if (targetAnswer != null) {
      rcode = targetAnswer.getRcode();
      for (var r : targetAnswer.getSection(Section.ANSWER)) ttl = Math.min(ttl, r.getTTL());
      for (var r : targetAnswer.getSection(Section.AUTHORITY)) ttl = Math.min(ttl, r.getTTL());
    }
    m.getHeader().setRcode(rcode == Rcode.NXDOMAIN || rcode == Rcode.NOERROR ? rcode : Rcode.NOERROR);
    m.addRecord(new CNAMERecord(qname, DClass.IN, ttl, target), Section.ANSWER);
    if (targetAnswer != null) {
      for (var r : targetAnswer.getSection(Section.ANSWER)) m.addRecord(r, Section.ANSWER);
      for (var r : targetAnswer.getSection(Section.AUTHORITY)) m.addRecord(r, Section.AUTHORITY);
    }
    return m;
  }
}
