package net.tinyisp.dns.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** TTL rules (RFC 2181 §5.2, RFC 2308 §5) and the cache's expiry and size bound, with a fake clock. */
class CacheTest {
  record V(long expiresAtNanos) implements AnswerCache.Expiring {}

  static CacheKey key(int i) {
    return new CacheKey(new byte[] {1, (byte) i, (byte) (i >> 8), 0, 0, 1, 0, 1, 0});
  }

  @Test
  void expiresByTtlAndStaysWithinItsSize() {
    AtomicLong now = new AtomicLong(1_000);
    AnswerCache<V> c = new AnswerCache<>(100, now::get);
    c.put(key(1), new V(now.get() + 5_000_000_000L));
    assertThat(c.get(key(1))).isNotNull();
    now.addAndGet(5_000_000_000L);
    assertThat(c.get(key(1))).as("expired at its TTL").isNull();
    for (int i = 0; i < 1000; i++) c.put(key(i), new V(now.get() + 60_000_000_000L));
    assertThat(c.size()).isLessThanOrEqualTo(100);
    assertThat(c.evictions()).isGreaterThanOrEqualTo(900);
  }

  @Test
  void recentlyUsedEntriesSurviveEviction() {
    AtomicLong now = new AtomicLong(0);
    AnswerCache<V> c = new AnswerCache<>(16, now::get);
    c.put(key(0), new V(Long.MAX_VALUE / 2));
    for (int i = 1; i < 200; i++) {
      now.addAndGet(2_000_000_000L);
      assertThat(c.get(key(0))).as("hot entry after %d inserts", i).isNotNull();
      c.put(key(i), new V(Long.MAX_VALUE / 2));
    }
  }

  static Name n(String s) throws Exception {
    return Name.fromString(s);
  }

  static Message msg(int rcode, Record... rs) throws Exception {
    Message m = Message.newQuery(Record.newRecord(n("a.example."), Type.A, DClass.IN));
    m.getHeader().setRcode(rcode);
    for (Record r : rs) m.addRecord(r, r instanceof SOARecord ? Section.AUTHORITY : Section.ANSWER);
    return m;
  }

  static SOARecord soa(long ttl, long min) throws Exception {
    return new SOARecord(n("example."), DClass.IN, ttl, n("ns.example."), n("h.example."), 1, 1, 1, 1, min);
  }

  @Test
  void ttlRules() throws Exception {
    InetAddress ip = InetAddress.getByName("198.51.100.1");
    assertThat(TtlRules.cacheTtl(msg(Rcode.NOERROR, new ARecord(n("a.example."), DClass.IN, 120, ip)), 86400))
        .isEqualTo(120);
    assertThat(TtlRules.cacheTtl(msg(Rcode.NOERROR, new CNAMERecord(n("a.example."), DClass.IN, 30, n("b.example.")),
        new ARecord(n("b.example."), DClass.IN, 120, ip)), 86400)).as("shortest in the chain").isEqualTo(30);
    assertThat(TtlRules.cacheTtl(msg(Rcode.NOERROR, new ARecord(n("a.example."), DClass.IN, 999999, ip)), 86400))
        .as("capped by cache-max-ttl").isEqualTo(86400);
    assertThat(TtlRules.cacheTtl(msg(Rcode.NXDOMAIN, soa(3600, 300)), 86400)).isEqualTo(300);
    assertThat(TtlRules.cacheTtl(msg(Rcode.NOERROR, soa(60, 300)), 86400)).as("NODATA").isEqualTo(60);
    assertThat(TtlRules.cacheTtl(msg(Rcode.NXDOMAIN), 86400)).as("no SOA: not cached").isZero();
    assertThat(TtlRules.cacheTtl(msg(Rcode.SERVFAIL), 86400)).isZero();
  }
}
