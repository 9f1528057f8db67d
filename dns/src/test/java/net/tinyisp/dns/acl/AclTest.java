package net.tinyisp.dns.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import org.junit.jupiter.api.Test;

/** bind's address match lists: first match wins, '!' negates, nested lists, keywords. */
class AclTest {
  static InetAddress a(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void mappedExampleFromTheIssue() throws Exception {
    Acl acl = Acl.parse("!10/8; any;");
    assertThat(acl.allows(a("10.1.2.3"))).isFalse();
    assertThat(acl.allows(a("198.51.100.1"))).isTrue();
    assertThat(acl.allows(a("2001:db8::1"))).isTrue();
  }

  @Test
  void firstMatchWinsAndNoMatchRejects() throws Exception {
    assertThat(Acl.parse("10/8; !10.1/16;").allows(a("10.1.0.1"))).isTrue();
    assertThat(Acl.parse("!10.1/16; 10/8;").allows(a("10.1.0.1"))).isFalse();
    assertThat(Acl.parse("10/8;").allows(a("11.0.0.1"))).isFalse();
    assertThat(Acl.parse("").allows(a("11.0.0.1"))).isFalse();
  }

  @Test
  void nestedListsAndNegatedNestedLists() throws Exception {
    Acl acl = Acl.parse("{ !203.0.113.7; 203.0.113.0/24; }; 198.51.100.0/24;");
    assertThat(acl.allows(a("203.0.113.7"))).isFalse();
    assertThat(acl.allows(a("203.0.113.8"))).isTrue();
    assertThat(acl.allows(a("198.51.100.9"))).isTrue();
    Acl neg = Acl.parse("!{ 203.0.113.0/24; }; any;");
    assertThat(neg.allows(a("203.0.113.1"))).isFalse();
    assertThat(neg.allows(a("198.51.100.1"))).isTrue();
  }

  @Test
  void keywords() throws Exception {
    assertThat(Acl.parse("none;").allows(a("127.0.0.1"))).isFalse();
    assertThat(Acl.parse("any").allows(a("::1"))).isTrue();
    LocalAddresses local = LocalAddresses.fixed(List.of(IpPrefix.parse("198.51.100.5/32")),
        List.of(IpPrefix.parse("198.51.100.0/24")));
    assertThat(Acl.parse("localhost;", local).allows(a("198.51.100.5"))).isTrue();
    assertThat(Acl.parse("localhost;", local).allows(a("198.51.100.6"))).isFalse();
    assertThat(Acl.parse("localnets;", local).allows(a("198.51.100.6"))).isTrue();
    assertThat(Acl.parse("{ any; };").allows(a("203.0.113.1"))).isTrue();
  }

  @Test
  void ipv6AndMappedClients() throws Exception {
    Acl acl = Acl.parse("::ffff:0:0/96; 2001:db8::/32;");
    assertThat(acl.allows(a("2001:db8::1"))).isTrue();
    assertThat(acl.allows(IpPrefix.parse("::ffff:198.51.100.1").network())).isTrue();
    // a v4-mapped client on a dual-stack socket matches IPv4 elements
    assertThat(Acl.parse("198.51.100.0/24;").allows(IpPrefix.parse("::ffff:198.51.100.1").network())).isTrue();
  }

  @Test
  void errorsSayWhatIsWrong() {
    assertThatThrownBy(() -> Acl.parse("10/8 any;")).hasMessageContaining("expected ';'");
    assertThatThrownBy(() -> Acl.parse("bogus;")).hasMessageContaining("'bogus' is not an address");
    assertThatThrownBy(() -> Acl.parse("{ 10/8;")).hasMessageContaining("missing '}'");
    assertThatThrownBy(() -> Acl.parse("10.0.0.1/8;")).hasMessageContaining("host bits");
  }
}
