package net.tinyisp.dns.dns64;

import net.tinyisp.dns.acl.Acl;
import net.tinyisp.dns.config.Dns64Prefix;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** One configured {@code dns64} block, parsed for use: its RFC 6052 mapping, ACLs and its reverse zone. */
public record Dns64Block(
    String prefixText, Rfc6052 rfc6052, Acl clients, Acl mapped, Acl exclude, boolean breakDnssec,
    boolean recursiveOnly, Name reverseZone) {

  public static Dns64Block of(Dns64Prefix p) {
    Rfc6052 r = p.rfc6052();
    return new Dns64Block(p.prefix(), r, Acl.parse(p.clients()), Acl.parse(p.mapped()), Acl.parse(p.exclude()),
        p.breakDnssec(), p.recursiveOnly(), reverseZone(r.prefixBytes(), r.prefixLength()));
  }

  /** The ip6.arpa zone of the prefix (RFC 3596 §2.5): its nibbles, least significant first. */
  static Name reverseZone(byte[] prefix, int length) {
    StringBuilder sb = new StringBuilder();
    for (int n = length / 4 - 1; n >= 0; n--) {
      int b = prefix[n / 2] & 0xff;
      sb.append(Integer.toHexString(n % 2 == 0 ? b >> 4 : b & 0xf)).append('.');
    }
    sb.append("ip6.arpa.");
    try {
      return Name.fromString(sb.toString());
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether this block applies to a client (bind's {@code clients} and {@code recursive-only}). */
  public boolean appliesTo(byte[] client, boolean recursionDesired) {
    return clients.allows(client) && (!recursiveOnly || recursionDesired);
  }
}
