package net.tinyisp.dns.acl;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;

/**
 * An address match list in bind's syntax ({@code !10/8; any;}, nested {@code { ... };} lists, {@code none},
 * {@code localhost}, {@code localnets}). Elements are tried in order and the first match wins: a matching plain
 * element accepts, a matching negated element rejects; no match rejects. As in bind, a negated nested list
 * rejects what the nested list would accept.
 */
public final class Acl {
  /** One element; {@code matches} answers accept / reject / no opinion (null). */
  sealed interface Element permits Prefix, Any, Nested, Local {}

  record Prefix(IpPrefix prefix) implements Element {}

  record Any() implements Element {}

  record Nested(Acl list) implements Element {}

  /** {@code localhost} (the host's own addresses) or {@code localnets} (the networks they sit on). */
  record Local(List<IpPrefix> prefixes) implements Element {}

  private record Entry(boolean negated, Element element) {}

  private final List<Entry> entries;
  private final String text;

  private Acl(List<Entry> entries, String text) {
    this.entries = List.copyOf(entries);
    this.text = text;
  }

  public static Acl any() {
    return parse("any;");
  }

  public static Acl none() {
    return parse("none;");
  }

  /** Parses bind's syntax; the trailing ';' and the outer braces are optional. */
  public static Acl parse(String text) {
    return parse(text, LocalAddresses.system());
  }

  static Acl parse(String text, LocalAddresses local) {
    Parser p = new Parser(text, local);
    Acl acl = p.list(false);
    p.skipSpace();
    if (p.pos < text.length()) {
      throw new IllegalArgumentException("ACL '" + text + "': unexpected '" + text.charAt(p.pos) + "' at position "
          + (p.pos + 1) + "; expected elements like '!10/8; any;'");
    }
    return acl;
  }

  /** Builds an ACL accepting any of the prefixes, as if written {@code p1; p2; ...}. */
  public static Acl of(List<IpPrefix> prefixes) {
    List<Entry> e = new ArrayList<>();
    for (IpPrefix p : prefixes) e.add(new Entry(false, new Prefix(p)));
    StringBuilder sb = new StringBuilder();
    for (IpPrefix p : prefixes) sb.append(p).append("; ");
    return new Acl(e, sb.toString().strip());
  }

  public boolean allows(InetAddress address) {
    return allows(address.getAddress());
  }

  public boolean allows(byte[] address) {
    Boolean v = decide(address);
    return v != null && v;
  }

  /** TRUE accept, FALSE reject, null no element matched. */
  private Boolean decide(byte[] address) {
    for (Entry e : entries) {
      Boolean m = switch (e.element) {
        case Any a -> Boolean.TRUE;
        case Prefix p -> p.prefix.contains(mapped(address, p.prefix)) ? Boolean.TRUE : null;
        case Local l -> l.prefixes.stream().anyMatch(x -> x.contains(mapped(address, x))) ? Boolean.TRUE : null;
        case Nested n -> n.list.decide(address);
      };
      if (m != null) {
        return e.negated ? !m : m;
      }
    }
    return null;
  }

  /** An IPv4-mapped IPv6 client (::ffff:a.b.c.d on a dual-stack socket) is matched as its IPv4 address. */
  private static byte[] mapped(byte[] address, IpPrefix against) {
    if (address.length == 16 && against.isIpv4()) {
      for (int i = 0; i < 10; i++) if (address[i] != 0) return address;
      if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) return address;
      return new byte[] {address[12], address[13], address[14], address[15]};
    }
    return address;
  }

  @Override
  public String toString() {
    return text;
  }

  private static final class Parser {
    final String s;
    final LocalAddresses local;
    int pos;

    Parser(String s, LocalAddresses local) {
      this.s = s;
      this.local = local;
    }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    Acl list(boolean braced) {
      int start = pos;
      List<Entry> out = new ArrayList<>();
      skipSpace();
      boolean outerBraces = false;
      if (!braced && pos < s.length() && s.charAt(pos) == '{') {
        pos++;
        outerBraces = true;
      }
      boolean closed = !(braced || outerBraces);
      while (true) {
        skipSpace();
        if (pos >= s.length()) break;
        char c = s.charAt(pos);
        if (c == '}') {
          if (!(braced || outerBraces)) throw error("unbalanced '}'");
          pos++;
          closed = true;
          break;
        }
        if (c == ';') {
          pos++;
          continue;
        }
        boolean neg = false;
        if (c == '!') {
          neg = true;
          pos++;
          skipSpace();
        }
        if (pos < s.length() && s.charAt(pos) == '{') {
          pos++;
          out.add(new Entry(neg, new Nested(list(true))));
        } else {
          out.add(new Entry(neg, word()));
        }
        skipSpace();
        if (pos < s.length() && s.charAt(pos) != ';' && s.charAt(pos) != '}') {
          throw error("expected ';' after an element");
        }
      }
      if (!closed) throw error("missing '}'");
      if (outerBraces) {
        skipSpace();
        if (pos < s.length() && s.charAt(pos) == ';') pos++;
      }
      return new Acl(out, s.substring(start, pos).strip());
    }

    Element word() {
      int start = pos;
      while (pos < s.length() && ";{}! \t\n\r".indexOf(s.charAt(pos)) < 0) pos++;
      String w = s.substring(start, pos);
      if (w.isEmpty()) throw error("expected an address, prefix or keyword");
      return switch (w.toLowerCase()) {
        case "any" -> new Any();
        // "none" is the negation of any: it rejects everything that reaches it
        case "none" -> new Nested(new Acl(List.of(new Entry(true, new Any())), "none"));
        case "localhost" -> new Local(local.hostAddresses());
        case "localnets" -> new Local(local.networks());
        default -> {
          try {
            yield new Prefix(IpPrefix.parse(w));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ACL '" + s + "': '" + w + "' is not an address, prefix or one of any, "
                + "none, localhost, localnets (" + e.getMessage() + ")");
          }
        }
      };
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("ACL '" + s + "': " + what + " at position " + (pos + 1));
    }
  }
}
