package net.tinyisp.dns.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.acl.Acl;
import net.tinyisp.dns.config.Dns64Prefix;
import net.tinyisp.dns.dns64.Dns64Block;
import net.tinyisp.dns.server.DnsMetrics;
import net.tinyisp.dns.server.QueryContext;
import net.tinyisp.dns.server.Transport;
import net.tinyisp.dns.upstream.Upstream;
import net.tinyisp.dns.upstream.UpstreamException;
import net.tinyisp.dns.upstream.UpstreamPool;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The resolver with a scripted upstream and a fake clock: one cache entry serves clients with different views
 * (synthesis after the cache), recursive-only, cache expiry, upstream failure to SERVFAIL, failover.
 */
class Dns64ResolverTest {
  static final Name HOST = name("v4.example.");
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<String> asked = new ArrayList<>();

  static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** An authoritative-looking upstream: v4.example has only A 198.51.100.10. */
  final Upstream zone = new Upstream() {
    public String name() {
      return "zone";
    }

    public CompletableFuture<Message> query(Message q) {
      asked.add(Type.string(q.getQuestion().getType()));
      Message m = q.clone();
      m.getHeader().setFlag(Flags.QR);
      try {
        if (q.getQuestion().getType() == Type.A) {
          m.addRecord(new ARecord(HOST, DClass.IN, 120, InetAddress.getByName("198.51.100.10")), Section.ANSWER);
        } else {
          m.addRecord(new SOARecord(Dns64ResolverTest.name("example."), DClass.IN, 3600, Dns64ResolverTest.name("ns.example."), Dns64ResolverTest.name("h.example."), 1, 1,
              1, 1, 60), Section.AUTHORITY);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return CompletableFuture.completedFuture(m);
    }

    public void close() {}
  };

  final Upstream broken = new Upstream() {
    public String name() {
      return "broken";
    }

    public CompletableFuture<Message> query(Message q) {
      return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Reason.TIMEOUT, "no answer"));
    }

    public void close() {}
  };

  Dns64Resolver resolver(List<Upstream> ups, Dns64Prefix... prefixes) {
    DnsMetrics metrics = new DnsMetrics(new Metrics().registry());
    return new Dns64Resolver(Acl.any(), List.of(prefixes).stream().map(Dns64Block::of).toList(),
        Dns64Resolver.newCache(1000, now::get), new UpstreamPool(ups, 1, metrics, now::get), metrics, now::get, 1232,
        86400);
  }

  static Message ask(Dns64Resolver r, String client, int type, boolean rd) throws Exception {
    Message q = Message.newQuery(Record.newRecord(HOST, type, DClass.IN));
    if (!rd) q.getHeader().unsetFlag(Flags.RD);
    byte[] answer = r.handle(q.toWire(), new QueryContext(InetAddress.getByName(client), Transport.UDP))
        .toCompletableFuture().get(5, TimeUnit.SECONDS);
    return new Message(answer);
  }

  static List<String> aaaa(Message m) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.AAAA)
        .map(r -> net.tinyisp.common.net.AddressText.format(((org.xbill.DNS.AAAARecord) r).getAddress().getAddress()))
        .toList();
  }

  @Test
  void oneCacheEntryServesEachClientItsOwnView() throws Exception {
    Dns64Resolver r = resolver(List.of(zone), new Dns64Prefix("64:ff9b::/96", null, null, null, null, null, null),
        new Dns64Prefix("2001:db8:64::/96", "2001:db8:1::/48;", null, null, null, null, null));
    assertThat(aaaa(ask(r, "2001:db8:1::5", Type.AAAA, true)))
        .containsExactly("64:ff9b::c633:640a", "2001:db8:64::c633:640a");
    assertThat(aaaa(ask(r, "2001:db8:2::5", Type.AAAA, true))).containsExactly("64:ff9b::c633:640a");
    assertThat(asked).containsExactly("AAAA", "A"); // the second client was served from the cache
  }

  @Test
  void clientsOutsideEveryBlockGetTheUpstreamAnswer() throws Exception {
    Dns64Resolver r = resolver(List.of(zone), new Dns64Prefix("64:ff9b::/96", "2001:db8:1::/48;", null, null, null,
        null, null));
    Message m = ask(r, "2001:db8:2::5", Type.AAAA, true);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(aaaa(m)).isEmpty();
    assertThat(m.getSection(Section.AUTHORITY)).hasSize(1);
  }

  @Test
  void recursiveOnlySynthesizesOnlyWithRd() throws Exception {
    Dns64Resolver r = resolver(List.of(zone), new Dns64Prefix("64:ff9b::/96", null, null, null, null, null, true));
    assertThat(aaaa(ask(r, "2001:db8:1::5", Type.AAAA, false))).isEmpty();
    assertThat(aaaa(ask(r, "2001:db8:1::5", Type.AAAA, true))).containsExactly("64:ff9b::c633:640a");
  }

  @Test
  void cachedAnswersAgeAndExpire() throws Exception {
    Dns64Resolver r = resolver(List.of(zone), Dns64Prefix.of("64:ff9b::/96"));
    assertThat(ask(r, "::1", Type.AAAA, true).getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
    now.addAndGet(20_000_000_000L);
    assertThat(ask(r, "::1", Type.AAAA, true).getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(40);
    assertThat(asked).hasSize(2);
    now.addAndGet(41_000_000_000L);
    ask(r, "::1", Type.AAAA, true);
    assertThat(asked).hasSize(4); // expired (min of the negative AAAA 60 s and A 120 s): asked again
  }

  @Test
  void typeAIsUntouched() throws Exception {
    Dns64Resolver r = resolver(List.of(zone), Dns64Prefix.of("64:ff9b::/96"));
    Message m = ask(r, "::1", Type.A, true);
    assertThat(m.getSection(Section.ANSWER)).hasSize(1);
    assertThat(m.getSection(Section.ANSWER).get(0).getType()).isEqualTo(Type.A);
  }

  @Test
  void upstreamFailureIsServfailAndFailoverFindsTheNextUpstream() throws Exception {
    assertThat(ask(resolver(List.of(broken), Dns64Prefix.of("64:ff9b::/96")), "::1", Type.A, true).getRcode())
        .isEqualTo(Rcode.SERVFAIL);
    Dns64Resolver r = resolver(List.of(broken, zone), Dns64Prefix.of("64:ff9b::/96"));
    assertThat(aaaa(ask(r, "::1", Type.AAAA, true))).containsExactly("64:ff9b::c633:640a");
  }

  /** The synchronous UDP path: nothing on a miss; on a hit the same bytes handle() gives, per client view. */
  @Test
  void answerNowServesCacheHitsLikeHandle() throws Exception {
    Dns64Resolver r = resolver(List.of(zone), new Dns64Prefix("64:ff9b::/96", null, null, null, null, null, null),
        new Dns64Prefix("2001:db8:64::/96", "2001:db8:1::/48;", null, null, null, null, null));
    Message q = Message.newQuery(Record.newRecord(HOST, Type.AAAA, DClass.IN));
    byte[] query = q.toWire();
    InetAddress inside = InetAddress.getByName("2001:db8:1::5");
    InetAddress outside = InetAddress.getByName("2001:db8:2::5");
    ByteBuf out = Unpooled.buffer();
    assertThat(r.answerNow(query, inside, Transport.UDP, 1232, out)).isFalse();
    assertThat(out.readableBytes()).isZero();
    ask(r, "2001:db8:1::5", Type.AAAA, true); // fills the cache
    for (InetAddress client : List.of(inside, outside)) {
      out.clear();
      assertThat(r.answerNow(query, client, Transport.UDP, 1232, out)).isTrue();
      byte[] viaHandle = r.handle(query, new QueryContext(client, Transport.UDP)).toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(viaHandle);
    }
    assertThat(aaaa(new Message(ByteBufUtil.getBytes(out)))).containsExactly("64:ff9b::c633:640a");
    assertThat(asked).containsExactly("AAAA", "A");
  }

  /** The native UDP path: per-view answers from the hit index equal handle()'s, with TTLs aged and expiry kept. */
  @Test
  void answerIntoServesHitsFromTheIndexLikeHandle() throws Exception {
    Dns64Resolver r = resolver(List.of(zone), new Dns64Prefix("64:ff9b::/96", null, null, null, null, null, null),
        new Dns64Prefix("2001:db8:64::/96", "2001:db8:1::/48;", null, null, null, null, null));
    Message q = Message.newQuery(Record.newRecord(name("V4.eXample."), Type.AAAA, DClass.IN));
    byte[] wire = q.toWire();
    byte[] query = java.util.Arrays.copyOf(wire, 600); // a reused receive buffer: only queryLength counts
    byte[] out = new byte[1232];
    byte[] inside = InetAddress.getByName("2001:db8:1::5").getAddress();
    byte[] outside = InetAddress.getByName("2001:db8:2::5").getAddress();
    assertThat(r.answerInto(query, wire.length, inside, Transport.UDP, 1232, out)).isEqualTo(-1); // miss
    ask(r, "2001:db8:1::5", Type.AAAA, true); // fills the cache
    for (int round = 0; round < 2; round++) { // first from the cache into the index, then from the index
      for (byte[] client : List.of(inside, outside)) {
        int n = r.answerInto(query, wire.length, client, Transport.UDP, 1232, out);
        byte[] viaHandle = r.handle(wire, new QueryContext(InetAddress.getByAddress(client), Transport.UDP))
            .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(viaHandle);
      }
      now.addAndGet(7_000_000_000L);
    }
    int n = r.answerInto(query, wire.length, outside, Transport.UDP, 1232, out);
    Message m = new Message(java.util.Arrays.copyOf(out, n));
    assertThat(m.getQuestion().getName().toString()).isEqualTo("V4.eXample."); // the client's 0x20 spelling
    assertThat(aaaa(m)).containsExactly("64:ff9b::c633:640a");
    assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60 - 14);
    assertThat(asked).containsExactly("AAAA", "A");
    now.addAndGet(47_000_000_000L); // past the entry's 60 s (the negative AAAA's SOA minimum)
    assertThat(r.answerInto(query, wire.length, outside, Transport.UDP, 1232, out)).isEqualTo(-1);
  }

  @Test
  void answerIntoLeavesRefusedClientsToHandle() throws Exception {
    DnsMetrics metrics = new DnsMetrics(new Metrics().registry());
    Dns64Resolver r = new Dns64Resolver(Acl.parse("2001:db8:1::/48;"), List.of(Dns64Block.of(Dns64Prefix.of(
        "64:ff9b::/96"))), Dns64Resolver.newCache(1000, now::get), new UpstreamPool(List.of(zone), 1, metrics,
        now::get), metrics, now::get, 1232, 86400);
    byte[] wire = Message.newQuery(Record.newRecord(HOST, Type.A, DClass.IN)).toWire();
    byte[] out = new byte[1232];
    ask(r, "2001:db8:1::5", Type.A, true);
    assertThat(r.answerInto(wire, wire.length, InetAddress.getByName("2001:db8:1::5").getAddress(), Transport.UDP,
        1232, out)).isPositive();
    assertThat(r.answerInto(wire, wire.length, InetAddress.getByName("2001:db8:9::5").getAddress(), Transport.UDP,
        1232, out)).isEqualTo(-1);
    assertThat(ask(r, "2001:db8:9::5", Type.A, true).getRcode()).isEqualTo(Rcode.REFUSED);
  }
}
