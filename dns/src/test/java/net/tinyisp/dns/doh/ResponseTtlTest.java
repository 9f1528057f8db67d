package net.tinyisp.dns.doh;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

public class ResponseTtlTest {
  public static Message response() throws Exception {
    Name n = Name.fromString("a.example.");
    Message m = Message.newQuery(Record.newRecord(n, Type.AAAA, DClass.IN));
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(new AAAARecord(n, DClass.IN, 300, InetAddress.getByName("2001:db8::1")), Section.ANSWER);
    m.addRecord(new AAAARecord(n, DClass.IN, 120, InetAddress.getByName("2001:db8::2")), Section.ANSWER);
    m.addRecord(new SOARecord(Name.fromString("example."), DClass.IN, 900, n, n, 1, 2, 3, 4, 60),
        Section.AUTHORITY);
    m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return m;
  }

  @Test
  void minimumOverAllRecordsButOpt() throws Exception {
    // RFC 8484 §5.1: freshness is the smallest TTL in the answer
    assertThat(ResponseTtl.minTtl(response().toWire())).isEqualTo(120);
  }

  @Test
  void noRecordsMeansZeroAndGarbageMeansMinusOne() throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString("a."), Type.A, DClass.IN));
    assertThat(ResponseTtl.minTtl(q.toWire())).isZero();
    byte[] w = response().toWire();
    assertThat(ResponseTtl.minTtl(java.util.Arrays.copyOf(w, w.length - 5))).isEqualTo(-1);
    assertThat(ResponseTtl.minTtl(new byte[3])).isEqualTo(-1);
  }

  @Test
  void agingLowersEveryTtlButNotBelowZero() throws Exception {
    Message aged = new Message(ResponseTtl.aged(response().toWire(), 200));
    assertThat(aged.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(100L, 0L);
    assertThat(aged.getSection(Section.AUTHORITY).getFirst().getTTL()).isEqualTo(700);
    assertThat(aged.getOPT()).isNotNull();
  }
}
