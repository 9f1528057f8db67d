package net.tinyisp.dns.dns64;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.tinyisp.dns.config.Dns64Prefix;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 8880 §7.2 (ipv4only.arpa) and RFC 6147 §5.3.1 (reverse of synthesized addresses). */
class LocalAnswersTest {
  static final List<Dns64Block> BLOCKS = List.of(Dns64Block.of(Dns64Prefix.of("64:ff9b::/96")),
      Dns64Block.of(Dns64Prefix.of("2001:db8:122::/48")));

  @Test
  void ipv4onlyArpa() throws Exception {
    Message a = LocalAnswers.ipv4OnlyArpa(LocalAnswers.IPV4ONLY, Type.A, BLOCKS);
    assertThat(a.getSection(Section.ANSWER)).extracting(r -> r.rdataToString())
        .containsExactly("192.0.0.170", "192.0.0.171");
    Message aaaa = LocalAnswers.ipv4OnlyArpa(LocalAnswers.IPV4ONLY, Type.AAAA, BLOCKS.subList(0, 1));
    assertThat(aaaa.getSection(Section.ANSWER))
        .extracting(r -> net.tinyisp.common.net.AddressText.format(((org.xbill.DNS.AAAARecord) r).getAddress().getAddress()))
        .containsExactly("64:ff9b::c000:aa", "64:ff9b::c000:ab");
    Message mx = LocalAnswers.ipv4OnlyArpa(LocalAnswers.IPV4ONLY, Type.MX, BLOCKS);
    assertThat(mx.getSection(Section.ANSWER)).isEmpty();
    assertThat(mx.getSection(Section.AUTHORITY)).hasSize(1);
    assertThat(LocalAnswers.ipv4OnlyArpa(Name.fromString("x.ipv4only.arpa."), Type.A, BLOCKS).getRcode())
        .isEqualTo(Rcode.NXDOMAIN);
  }

  @Test
  void reverseTargetForEachPrefixLength() throws Exception {
    // 64:ff9b::c000:221 = 192.0.2.33
    Name wkp = Name.fromString("1.2.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.9.f.f.4.6.0.0.ip6.arpa.");
    assertThat(LocalAnswers.reverseTarget(wkp, BLOCKS)).hasToString("33.2.0.192.in-addr.arpa.");
    // 2001:db8:122:c000:2:2100:: (RFC 6052 table, /48)
    Name nsp = Name.fromString("0.0.0.0.0.0.0.0.0.0.1.2.2.0.0.0.0.0.0.c.2.2.1.0.8.b.d.0.1.0.0.2.ip6.arpa.");
    assertThat(LocalAnswers.reverseTarget(nsp, BLOCKS)).hasToString("33.2.0.192.in-addr.arpa.");
    Name outside = Name.fromString("1.2.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
    assertThat(LocalAnswers.reverseTarget(outside, BLOCKS)).isNull();
    assertThat(LocalAnswers.reverseTarget(Name.fromString("b.9.f.f.4.6.0.0.ip6.arpa."), BLOCKS)).isNull();
  }

  @Test
  void reverseAnswerIsCnameThenTheTargetsRecords() throws Exception {
    Name q = Name.fromString("1.2.2.0.0.0.0.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.b.9.f.f.4.6.0.0.ip6.arpa.");
    Name t = LocalAnswers.reverseTarget(q, BLOCKS);
    Message m = LocalAnswers.reverse(q, t, null);
    assertThat(m.getSection(Section.ANSWER)).hasSize(1);
    assertThat(m.getSection(Section.ANSWER).get(0).getType()).isEqualTo(Type.CNAME);
  }
}
