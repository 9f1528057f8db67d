package net.tinyisp.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import net.tinyisp.dns.server.UdpTruncation;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The hot-path query reader (RFC 1035 §4.1, RFC 6891 §6) and the wire-built error and TC answers. */
class QueryParserTest {
  static byte[] query(String name, int type, Integer ednsSize, boolean dnssecOk) throws Exception {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    m.getHeader().setID(0x1234);
    if (ednsSize != null) {
      m.addRecord(new OPTRecord(ednsSize, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return m.toWire();
  }

  @Test
  void readsHeaderQuestionAndEdns() throws Exception {
    ParsedQuery q = QueryParser.parse(query("WwW.Example.", Type.AAAA, 4096, true));
    assertThat(q.status()).isEqualTo(ParsedQuery.Status.OK);
    assertThat(q.id()).isEqualTo(0x1234);
    assertThat(q.recursionDesired()).isTrue();
    assertThat(q.qtype()).isEqualTo(Type.AAAA);
    assertThat(q.edns()).isTrue();
    assertThat(q.udpSize()).isEqualTo(4096);
    assertThat(q.dnssecOk()).isTrue();
    // the key is case-insensitive: 0x20 spellings share one cache entry
    assertThat(q.key()).isEqualTo(QueryParser.parse(query("www.example.", Type.AAAA, 512, true)).key());
    assertThat(q.key()).isNotEqualTo(QueryParser.parse(query("www.example.", Type.AAAA, 512, false)).key());
    ParsedQuery plain = QueryParser.parse(query("www.example.", Type.A, null, false));
    assertThat(plain.edns()).isFalse();
    assertThat(plain.udpSize()).isEqualTo(512);
  }

  @Test
  void namedMalformedCases() {
    HexFormat h = HexFormat.of();
    // 11 bytes: no header
    assertThat(QueryParser.parse(h.parseHex("1234010000010000000000")).status())
        .isEqualTo(ParsedQuery.Status.DROP_SHORT);
    // QR=1: a response sent to the query port
    assertThat(QueryParser.parse(h.parseHex("123481000001000000000000" + "0000010001")).status())
        .isEqualTo(ParsedQuery.Status.DROP_RESPONSE);
    // QDCOUNT=2
    assertThat(QueryParser.parse(h.parseHex("123401000002000000000000" + "0000010001")).status())
        .isEqualTo(ParsedQuery.Status.FORMERR);
    // label length 40 past the end
    assertThat(QueryParser.parse(h.parseHex("123401000001000000000000" + "2878")).status())
        .isEqualTo(ParsedQuery.Status.FORMERR);
    // compression pointer in the question
    assertThat(QueryParser.parse(h.parseHex("123401000001000000000000" + "c00c00010001")).status())
        .isEqualTo(ParsedQuery.Status.FORMERR);
    // trailing garbage after the question
    assertThat(QueryParser.parse(h.parseHex("123401000001000000000000" + "0000010001ff")).status())
        .isEqualTo(ParsedQuery.Status.FORMERR);
    // opcode 2 (STATUS)
    assertThat(QueryParser.parse(h.parseHex("123411000001000000000000" + "0000010001")).status())
        .isEqualTo(ParsedQuery.Status.NOTIMP);
    // OPT with version 1
    assertThat(QueryParser.parse(h.parseHex("123401000001000000000001" + "0000010001" + "00002904d000010000" + "0000"))
        .status()).isEqualTo(ParsedQuery.Status.BADVERS);
    // two OPT records
    assertThat(QueryParser.parse(h.parseHex("123401000001000000000002" + "0000010001"
        + "00002904d0000000000000" + "00002904d0000000000000")).status()).isEqualTo(ParsedQuery.Status.FORMERR);
  }

  @Test
  void errorAnswersKeepIdQuestionAndOpt() throws Exception {
    byte[] query = query("www.example.", Type.A, 1232, true);
    ParsedQuery q = QueryParser.parse(query);
    Message refused = new Message(Responses.error(query, q, Responses.REFUSED, 1232));
    assertThat(refused.getHeader().getID()).isEqualTo(0x1234);
    assertThat(refused.getRcode()).isEqualTo(Responses.REFUSED);
    assertThat(refused.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(refused.getQuestion().getName()).isEqualTo(Name.fromString("www.example."));
    assertThat(refused.getOPT().getPayloadSize()).isEqualTo(1232);
    byte[] bad = HexFormat.of().parseHex("123401000001000000000000" + "2878");
    Message formerr = new Message(Responses.error(bad, QueryParser.parse(bad), Responses.FORMERR, 1232));
    assertThat(formerr.getRcode()).isEqualTo(Responses.FORMERR);
    assertThat(formerr.getQuestion()).isNull();
  }

  @Test
  void truncationFollowsTheClientsEdnsSizeCappedAtOurs() throws Exception {
    Message big = Message.newQuery(Record.newRecord(Name.fromString("big.example."), Type.TXT, DClass.IN));
    big.getHeader().setFlag(Flags.QR);
    for (int i = 0; i < 30; i++) {
      big.addRecord(new org.xbill.DNS.TXTRecord(Name.fromString("big.example."), DClass.IN, 60, "x".repeat(50) + i),
          Section.ANSWER);
    }
    byte[] answer = big.toWire(); // about 1900 bytes
    byte[] noEdns = query("big.example.", Type.TXT, null, false);
    assertThat(new Message(UdpTruncation.apply(noEdns, answer, 1232)).getHeader().getFlag(Flags.TC)).isTrue();
    byte[] edns4096 = query("big.example.", Type.TXT, 4096, false);
    Message capped = new Message(UdpTruncation.apply(edns4096, answer, 1232));
    assertThat(capped.getHeader().getFlag(Flags.TC)).as("1232 caps the client's 4096").isTrue();
    assertThat(capped.getSection(Section.ANSWER)).isEmpty();
    assertThat(capped.getOPT()).isNotNull();
    assertThat(UdpTruncation.apply(edns4096, answer, 4096)).isSameAs(answer);
    byte[] small = query("s.example.", Type.A, null, false);
    assertThat(UdpTruncation.apply(small, new byte[300], 1232)).hasSize(300);
  }

  /** The UDP hot path reuses one ParsedQuery and its key array: nothing of the previous query may leak through. */
  @Test
  void parseIntoReusesWithoutLeakingThePreviousQuery() throws Exception {
    ParsedQuery reused = new ParsedQuery();
    byte[] buf = new byte[4096];
    byte[] first = query("a-much-longer-name.example.", Type.AAAA, 4096, true);
    System.arraycopy(first, 0, buf, 0, first.length);
    ParsedQuery q = QueryParser.parseInto(buf, first.length, reused);
    assertThat(q).isSameAs(reused);
    assertThat(q.edns()).isTrue();
    byte[] keyArray = q.key();
    byte[] second = query("Short.example.", Type.A, null, false);
    System.arraycopy(second, 0, buf, 0, second.length);
    q = QueryParser.parseInto(buf, second.length, reused);
    ParsedQuery fresh = QueryParser.parse(second);
    assertThat(q.key()).isSameAs(keyArray); // no allocation for a shorter key
    assertThat(java.util.Arrays.copyOf(q.key(), q.keyLength())).isEqualTo(fresh.key());
    assertThat(q.qnameLength()).isEqualTo(fresh.qnameLength());
    assertThat(q.edns()).isFalse();
    assertThat(q.dnssecOk()).isFalse();
    assertThat(q.udpSize()).isEqualTo(512);
    assertThat(q.qtype()).isEqualTo(Type.A);
    assertThat(q.questionEnd()).isEqualTo(fresh.questionEnd());
    assertThat(QueryParser.parseInto(buf, 5, reused).status()).isEqualTo(ParsedQuery.Status.DROP_SHORT);
  }
}
