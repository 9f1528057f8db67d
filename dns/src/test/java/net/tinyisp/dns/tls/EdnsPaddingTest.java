package net.tinyisp.dns.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.tinyisp.dns.doh.ResponseTtlTest;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** RFC 7830 option, RFC 8467 §4.1 block-length policy for responses (468). */
class EdnsPaddingTest {
  @Test
  void paddedQueryIsDetected() throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString("a."), Type.A, DClass.IN));
    assertThat(EdnsPadding.queryIsPadded(q.toWire())).isFalse();
    q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[8]))),
        Section.ADDITIONAL);
    assertThat(EdnsPadding.queryIsPadded(q.toWire())).isTrue();
    assertThat(EdnsPadding.queryIsPadded(new byte[] {0, 1, 2})).isFalse();
  }

  @Test
  void responseIsPaddedToTheBlock() throws Exception {
    byte[] padded = EdnsPadding.pad(ResponseTtlTest.response().toWire());
    assertThat(padded.length % EdnsPadding.RESPONSE_BLOCK).isZero();
    Message m = new Message(padded);
    assertThat(m.getSection(Section.ANSWER)).hasSize(2);
    assertThat(m.getOPT().getOptions(EDNSOption.Code.PADDING)).hasSize(1);
    // padding an already padded answer gives the same length, not a second option
    assertThat(EdnsPadding.pad(padded)).hasSize(padded.length);
  }

  @Test
  void withoutOptNothingChanges() throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString("a."), Type.A, DClass.IN));
    byte[] w = q.toWire();
    assertThat(EdnsPadding.pad(w)).isSameAs(w);
  }
}
