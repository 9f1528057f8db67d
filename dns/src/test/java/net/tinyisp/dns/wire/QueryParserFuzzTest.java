package net.tinyisp.dns.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.acl.Acl;
import net.tinyisp.dns.config.Dns64Prefix;
import net.tinyisp.dns.dns64.Dns64Block;
import net.tinyisp.dns.resolver.Dns64Resolver;
import net.tinyisp.dns.server.DnsMetrics;
import net.tinyisp.dns.server.QueryContext;
import net.tinyisp.dns.server.Transport;
import net.tinyisp.dns.server.UdpTruncation;
import net.tinyisp.dns.upstream.Upstream;
import net.tinyisp.dns.upstream.UpstreamPool;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Any bytes on the query path (parser, allow-query, local answers, cache, synthesis, rendering, truncation) give a
 * well-formed answer or a counted drop, never an exception and never a hang. The upstream is a stub answering
 * NXDOMAIN at once.
 */
class QueryParserFuzzTest {
  static final Upstream STUB = new Upstream() {
    public String name() {
      return "stub";
    }

    public CompletableFuture<Message> query(Message q) {
      Message m = q.clone();
      m.getHeader().setFlag(org.xbill.DNS.Flags.QR);
      m.getHeader().setRcode(Rcode.NXDOMAIN);
      return CompletableFuture.completedFuture(m);
    }

    public void close() {}
  };
  static final DnsMetrics METRICS = new DnsMetrics(new Metrics().registry());
  static final Dns64Resolver RESOLVER = new Dns64Resolver(Acl.parse("!127.0.0.2; any;"),
      List.of(Dns64Block.of(Dns64Prefix.of("64:ff9b::/96"))), Dns64Resolver.newCache(100, System::nanoTime),
      new UpstreamPool(List.of(STUB), 0, METRICS, System::nanoTime), METRICS, System::nanoTime, 1232, 86400);
  static final QueryContext CLIENT = new QueryContext(InetAddress.getLoopbackAddress(), Transport.UDP);

  @FuzzTest(maxDuration = "20s")
  void anyBytes(byte[] data) throws Exception {
    ParsedQuery q = QueryParser.parse(data);
    if (q.status() == ParsedQuery.Status.OK && q.key().length > 260) {
      throw new AssertionError("name longer than 255 bytes accepted");
    }
    byte[] answer = RESOLVER.handle(data, CLIENT).toCompletableFuture().get(5, TimeUnit.SECONDS);
    if (answer == null) {
      if (q.status() != ParsedQuery.Status.DROP_SHORT && q.status() != ParsedQuery.Status.DROP_RESPONSE) {
        throw new AssertionError("dropped a query with status " + q.status());
      }
      return;
    }
    if (answer.length < 12 || answer[0] != data[0] || answer[1] != data[1]) {
      throw new AssertionError("answer without the query's ID");
    }
    new Message(UdpTruncation.apply(data, answer, 1232)); // parses back
    // the native UDP path: the same bytes in a longer reused buffer, parsed into a reused query, answered from
    // the cache (filled by handle() above) or left to handle(); an answer it writes must parse too
    System.arraycopy(data, 0, SCRATCH_IN, 0, Math.min(data.length, SCRATCH_IN.length));
    ParsedQuery r = QueryParser.parseInto(SCRATCH_IN, Math.min(data.length, SCRATCH_IN.length), REUSED);
    if (data.length <= SCRATCH_IN.length && r.status() != q.status()) throw new AssertionError("parseInto differs");
    int n = RESOLVER.answerInto(SCRATCH_IN, Math.min(data.length, SCRATCH_IN.length), new byte[] {127, 0, 0, 1},
        Transport.UDP, 1232, SCRATCH_OUT);
    if (n >= 0) new Message(java.util.Arrays.copyOf(SCRATCH_OUT, n));
  }

  static final byte[] SCRATCH_IN = new byte[4096];
  static final byte[] SCRATCH_OUT = new byte[1232];
  static final ParsedQuery REUSED = new ParsedQuery();
}
