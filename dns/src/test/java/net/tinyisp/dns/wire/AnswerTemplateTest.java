package net.tinyisp.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Cache hits: ID, RD, question spelling and TTLs patched; OPT's TTL field (flags) untouched. */
class AnswerTemplateTest {
  @Test
  void patchesIdCaseAndAgesTtls() throws Exception {
    Name n = Name.fromString("www.example.");
    Message m = Message.newQuery(Record.newRecord(n, Type.A, DClass.IN));
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(new ARecord(n, DClass.IN, 300, InetAddress.getByName("198.51.100.1")), Section.ANSWER);
    m.addRecord(new OPTRecord(1232, 0, 0, 0x8000), Section.ADDITIONAL);
    AnswerTemplate t = AnswerTemplate.of(m.toWire(), 0, false);

    Message q = Message.newQuery(Record.newRecord(Name.fromString("WWW.example."), Type.A, DClass.IN));
    q.getHeader().setID(777);
    q.getHeader().unsetFlag(Flags.RD);
    byte[] query = q.toWire();
    Message out = new Message(t.answer(query, QueryParser.parse(query), 100_500_000_000L));
    assertThat(out.getHeader().getID()).isEqualTo(777);
    assertThat(out.getHeader().getFlag(Flags.RD)).isFalse();
    assertThat(out.getQuestion().getName().toString()).isEqualTo("WWW.example.");
    assertThat(out.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(200);
    assertThat(out.getOPT().getFlags()).isEqualTo(0x8000);
    assertThat(t.remainingTtl(100_500_000_000L)).isEqualTo(200);
    assertThat(t.remainingTtl(400_000_000_000L)).isZero();
  }

  @Test
  void writesTheSameBytesIntoAPooledBuffer() throws Exception {
    Name n = Name.fromString("www.example.");
    Message m = Message.newQuery(Record.newRecord(n, Type.A, DClass.IN));
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(new ARecord(n, DClass.IN, 300, InetAddress.getByName("198.51.100.1")), Section.ANSWER);
    m.addRecord(new ARecord(n, DClass.IN, 7, InetAddress.getByName("198.51.100.2")), Section.ANSWER);
    m.addRecord(new OPTRecord(1232, 0, 0, 0x8000), Section.ADDITIONAL);
    AnswerTemplate t = AnswerTemplate.of(m.toWire(), 0, false);
    Message q = Message.newQuery(Record.newRecord(Name.fromString("wWw.Example."), Type.A, DClass.IN));
    q.getHeader().setID(4242);
    q.getHeader().setFlag(Flags.CD);
    byte[] query = q.toWire();
    ParsedQuery pq = QueryParser.parse(query);
    for (long now : new long[] {0, 100_500_000_000L, 400_000_000_000L}) {
      ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(16); // grows past its first size
      try {
        out.writeByte(0xee).skipBytes(1); // a writer index that is not 0
        t.writeAnswer(out, query, pq, now);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(t.answer(query, pq, now));
      } finally {
        out.release();
      }
    }
    assertThat(t.length()).isEqualTo(m.toWire().length);
    assertThat(t.rcode()).isZero();
  }
}
