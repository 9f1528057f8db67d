package net.tinyisp.dns.dns64;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import net.tinyisp.dns.config.Dns64Prefix;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 6147 §5.1 and §5.5 decisions on crafted upstream answers (no network). */
class SynthesizerTest {
  static final Name N = name("host.example.");
  static final List<Dns64Block> WKP = List.of(Dns64Block.of(
      new Dns64Prefix("64:ff9b::/96", null, "!10/8; any;", null, null, false, null)));
  static final List<Dns64Block> BREAK = List.of(Dns64Block.of(
      new Dns64Prefix("64:ff9b::/96", null, null, null, null, true, null)));

  static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static Message answer(int type, int rcode, Record... records) {
    Message m = Message.newQuery(Record.newRecord(N, type, DClass.IN));
    m.getHeader().setRcode(rcode);
    for (Record r : records) {
      m.addRecord(r, r instanceof SOARecord ? Section.AUTHORITY : Section.ANSWER);
    }
    return m;
  }

  static SOARecord soa(long ttl, long minimum) {
    return new SOARecord(name("example."), DClass.IN, ttl, name("ns.example."), name("h.example."), 1, 3600, 900,
        604800, minimum);
  }

  static List<String> aaaa(Message m) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.AAAA)
        .map(r -> net.tinyisp.common.net.AddressText.format(((AAAARecord) r).getAddress().getAddress()) + "/" + r.getTTL()).toList();
  }

  @Test
  void nodataIsSynthesizedWithTtlFromSoaNegativeTtl() throws Exception {
    Message aaaa = answer(Type.AAAA, Rcode.NOERROR, soa(3600, 300));
    assertThat(Synthesizer.needsSynthesis(aaaa, WKP, false, false)).isTrue();
    Message a = answer(Type.A, Rcode.NOERROR, new ARecord(N, DClass.IN, 3600, ip("198.51.100.10")));
    Synthesizer.Result r = Synthesizer.synthesize(aaaa, a, WKP, false);
    assertThat(r.synthesized()).isTrue();
    assertThat(aaaa(r.message())).containsExactly("64:ff9b::c633:640a/300"); // §5.1.7 min(3600, 300)
    Message shortA = answer(Type.A, Rcode.NOERROR, new ARecord(N, DClass.IN, 20, ip("198.51.100.10")));
    assertThat(aaaa(Synthesizer.synthesize(aaaa, shortA, WKP, false).message())).containsExactly("64:ff9b::c633:640a/20");
    // the SOA TTL bounds the negative TTL too (RFC 2308 §5)
    Message lowSoaTtl = answer(Type.AAAA, Rcode.NOERROR, soa(60, 300));
    assertThat(aaaa(Synthesizer.synthesize(lowSoaTtl, a, WKP, false).message()))
        .containsExactly("64:ff9b::c633:640a/60");
  }

  @Test
  void withoutSoaTheTtlIsAtMost600() throws Exception {
    Message aaaa = answer(Type.AAAA, Rcode.NOERROR);
    Message a = answer(Type.A, Rcode.NOERROR, new ARecord(N, DClass.IN, 86400, ip("198.51.100.10")));
    assertThat(aaaa(Synthesizer.synthesize(aaaa, a, WKP, false).message())).containsExactly("64:ff9b::c633:640a/600");
  }

  @Test
  void nxdomainPassesThroughAndUsableAaaaIsNeverHidden() throws Exception {
    assertThat(Synthesizer.needsSynthesis(answer(Type.AAAA, Rcode.NXDOMAIN, soa(3600, 300)), WKP, false, false))
        .isFalse();
    Message real = answer(Type.AAAA, Rcode.NOERROR, new AAAARecord(N, DClass.IN, 60, ip("2001:db8::1")));
    assertThat(Synthesizer.needsSynthesis(real, WKP, false, false)).isFalse();
    assertThat(Synthesizer.passThrough(real, WKP)).isSameAs(real);
  }

  @Test
  void otherRcodesAreTreatedAsEmptyAndTheOriginalStandsIfAFailsToo() throws Exception {
    Message servfail = answer(Type.AAAA, Rcode.SERVFAIL);
    assertThat(Synthesizer.needsSynthesis(servfail, WKP, false, false)).isTrue(); // §5.1.2
    Message a = answer(Type.A, Rcode.NOERROR, new ARecord(N, DClass.IN, 60, ip("198.51.100.10")));
    Synthesizer.Result r = Synthesizer.synthesize(servfail, a, WKP, false);
    assertThat(r.message().getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(aaaa(r.message())).containsExactly("64:ff9b::c633:640a/60");
    assertThat(Synthesizer.synthesize(servfail, answer(Type.A, Rcode.SERVFAIL), WKP, false).message())
        .isSameAs(servfail);
    assertThat(Synthesizer.synthesize(servfail, null, WKP, false).message()).isSameAs(servfail);
  }

  @Test
  void excludedAaaaCountsAsAbsentAndIsRemovedWhenOthersRemain() throws Exception {
    Message mapped = answer(Type.AAAA, Rcode.NOERROR, new AAAARecord(N, DClass.IN, 60, ip("::ffff:198.51.100.1")));
    assertThat(Synthesizer.needsSynthesis(mapped, WKP, false, false)).isTrue();
    Message mixed = answer(Type.AAAA, Rcode.NOERROR, new AAAARecord(N, DClass.IN, 60, ip("::ffff:198.51.100.1")),
        new AAAARecord(N, DClass.IN, 60, ip("2001:db8::1")));
    assertThat(Synthesizer.needsSynthesis(mixed, WKP, false, false)).isFalse();
    assertThat(aaaa(Synthesizer.passThrough(mixed, WKP))).containsExactly("2001:db8::1/60");
  }

  @Test
  void mappedAclFiltersAndNothingLeftMeansTheNodataStands() throws Exception {
    Message aaaa = answer(Type.AAAA, Rcode.NOERROR, soa(3600, 300));
    Message ten = answer(Type.A, Rcode.NOERROR, new ARecord(N, DClass.IN, 60, ip("10.1.2.3")));
    Synthesizer.Result r = Synthesizer.synthesize(aaaa, ten, WKP, false);
    assertThat(r.synthesized()).isFalse();
    assertThat(r.message()).isSameAs(aaaa);
    Message mixed = answer(Type.A, Rcode.NOERROR, new ARecord(N, DClass.IN, 60, ip("10.1.2.3")),
        new ARecord(N, DClass.IN, 60, ip("198.51.100.13")));
    assertThat(aaaa(Synthesizer.synthesize(aaaa, mixed, WKP, false).message())).containsExactly("64:ff9b::c633:640d/60");
  }

  @Test
  void cnameChainIsKeptAndSynthesisComesLast() throws Exception {
    Name alias = name("alias.example.");
    Message aaaa = answer(Type.AAAA, Rcode.NOERROR, new CNAMERecord(N, DClass.IN, 60, alias), soa(3600, 300));
    assertThat(Synthesizer.needsSynthesis(aaaa, WKP, false, false)).isTrue();
    Message a = answer(Type.A, Rcode.NOERROR, new CNAMERecord(N, DClass.IN, 60, alias),
        new ARecord(alias, DClass.IN, 60, ip("198.51.100.10")));
    Message out = Synthesizer.synthesize(aaaa, a, WKP, false).message();
    List<Record> ans = out.getSection(Section.ANSWER);
    assertThat(ans).hasSize(2);
    assertThat(ans.get(0).getType()).isEqualTo(Type.CNAME);
    assertThat(ans.get(1).getName()).isEqualTo(alias);
    assertThat(ans.get(1).getType()).isEqualTo(Type.AAAA);
  }

  @Test
  void severalPrefixesEachAnswer() throws Exception {
    List<Dns64Block> two = List.of(WKP.get(0), Dns64Block.of(Dns64Prefix.of("2001:db8:64::/96")));
    Message aaaa = answer(Type.AAAA, Rcode.NOERROR, soa(3600, 300));
    Message a = answer(Type.A, Rcode.NOERROR, new ARecord(N, DClass.IN, 60, ip("198.51.100.10")));
    assertThat(aaaa(Synthesizer.synthesize(aaaa, a, two, false).message()))
        .containsExactly("64:ff9b::c633:640a/60", "2001:db8:64::c633:640a/60");
  }

  @Test
  void dnssecRulesOfSection55() throws Exception {
    Message aaaa = answer(Type.AAAA, Rcode.NOERROR, soa(3600, 300));
    // DO=1 and CD=1: the client validates itself; never synthesize
    assertThat(Synthesizer.needsSynthesis(aaaa, BREAK, true, true)).isFalse();
    assertThat(Synthesizer.needsSynthesis(aaaa, BREAK, true, false)).isTrue();
    ARecord ar = new ARecord(N, DClass.IN, 60, ip("198.51.100.10"));
    RRSIGRecord sig = new RRSIGRecord(N, DClass.IN, 60, Type.A, 13, 60, Instant.parse("2030-01-01T00:00:00Z"),
        Instant.parse("2020-01-01T00:00:00Z"), 12345, name("example."), new byte[64]);
    Message signedA = answer(Type.A, Rcode.NOERROR, ar, sig);
    // DO=1 and a signed A: only with break-dnssec
    assertThat(Synthesizer.synthesize(aaaa, signedA, WKP, true).synthesized()).isFalse();
    Message broken = Synthesizer.synthesize(aaaa, signedA, BREAK, true).message();
    assertThat(aaaa(broken)).containsExactly("64:ff9b::c633:640a/60");
    assertThat(broken.getSection(Section.ANSWER)).noneMatch(r -> r.getType() == Type.RRSIG);
    // DO=0: the signature does not matter
    assertThat(Synthesizer.synthesize(aaaa, signedA, WKP, false).synthesized()).isTrue();
  }

  @Test
  void noApplyingBlockMeansNoSynthesis() {
    assertThat(Synthesizer.needsSynthesis(answer(Type.AAAA, Rcode.NOERROR), List.of(), false, false)).isFalse();
  }
}
