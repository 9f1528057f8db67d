package net.tinyisp.dns.proxy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.cache.AnswerCache;
import net.tinyisp.dns.cache.CacheKey;
import net.tinyisp.dns.cache.TtlRules;
import net.tinyisp.dns.doh.ResponseTtl;
import net.tinyisp.dns.server.DnsMetrics;
import net.tinyisp.dns.server.QueryContext;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.upstream.UpstreamPool;
import net.tinyisp.dns.wire.ParsedQuery;
import net.tinyisp.dns.wire.QueryParser;
import net.tinyisp.dns.wire.Responses;
import org.xbill.DNS.Message;

/**
 * The DNS->DoH/DoT proxy's handler: answers from its cache, or forwards the query through the upstream pool
 * (failover between the configured DoH/DoT upstreams) and puts the client's own ID back. When no upstream gives
 * a usable answer (timeouts, malformed or mismatched answers, all dropped and counted) the client gets SERVFAIL,
 * never silence.
 */
public final class ProxyQueryHandler implements QueryHandler {
  static final int OUR_UDP_SIZE = 1232;

  /** A cached answer in wire form with ID 0, aged on the way out. */
  record Cached(byte[] wire, long storedAtNanos, long expiresAtNanos) implements AnswerCache.Expiring {}

  private final UpstreamPool pool;
  private final AnswerCache<Cached> cache;
  private final DnsMetrics metrics;
  private final LongSupplier clock;
  private final long maxTtl;

  public ProxyQueryHandler(UpstreamPool pool, AnswerCache<Cached> cache, DnsMetrics metrics, LongSupplier nanoClock,
      long maxTtl) {
    this.pool = pool;
    this.cache = cache;
    this.metrics = metrics;
    this.clock = nanoClock;
    this.maxTtl = maxTtl;
  }

  public static AnswerCache<Cached> newCache(int entries, LongSupplier nanoClock) {
    return new AnswerCache<>(entries, nanoClock);
  }

  @Override
  public CompletionStage<byte[]> handle(byte[] query, QueryContext ctx) {
    ParsedQuery p = QueryParser.parse(query);
    switch (p.status()) {
      case DROP_SHORT -> {
        metrics.drop(DropReason.QUERY_TOO_SHORT);
        return CompletableFuture.completedFuture(null);
      }
      case DROP_RESPONSE -> {
        metrics.drop(DropReason.QUERY_IS_RESPONSE);
        return CompletableFuture.completedFuture(null);
      }
      case FORMERR -> {
        metrics.drop(DropReason.QUERY_MALFORMED);
        return answered(ctx, Responses.error(query, p, Responses.FORMERR, OUR_UDP_SIZE));
      }
      case NOTIMP -> {
        metrics.drop(DropReason.QUERY_OPCODE);
        return answered(ctx, Responses.error(query, p, Responses.NOTIMP, OUR_UDP_SIZE));
      }
      case BADVERS -> {
        metrics.drop(DropReason.QUERY_BADVERS);
        return answered(ctx, Responses.error(query, p, Responses.BADVERS, OUR_UDP_SIZE));
      }
      case OK -> {}
    }
    CacheKey key = new CacheKey(p.key());
    Cached hit = cache.get(key);
    metrics.cache(hit != null);
    if (hit != null) {
      byte[] aged = ResponseTtl.aged(hit.wire(), (clock.getAsLong() - hit.storedAtNanos()) / 1_000_000_000L);
      if (aged != null) {
        return answered(ctx, withId(aged, p.id()));
      }
    }
    Message m;
    try {
      m = new Message(query);
    } catch (IOException e) {
      metrics.drop(DropReason.QUERY_MALFORMED);
      return answered(ctx, Responses.error(query, p, Responses.FORMERR, OUR_UDP_SIZE));
    }
    return pool.query(m).handle((answer, error) -> {
      if (error != null) {
        // every upstream failed or lied; the reasons were counted where they happened
        return servfail(query, p, ctx);
      }
      answer.getHeader().setID(0);
      byte[] wire = answer.toWire();
      long ttl = TtlRules.cacheTtl(answer, maxTtl);
      if (ttl > 0) {
        long now = clock.getAsLong();
        cache.put(key, new Cached(wire, now, now + ttl * 1_000_000_000L));
      }
      byte[] out = withId(wire, p.id());
      metrics.query(ctx.transport(), Responses.rcode(out));
      return out;
    });
  }

  private byte[] servfail(byte[] query, ParsedQuery p, QueryContext ctx) {
    metrics.query(ctx.transport(), Responses.SERVFAIL);
    return Responses.error(query, p, Responses.SERVFAIL, OUR_UDP_SIZE);
  }

  private CompletionStage<byte[]> answered(QueryContext ctx, byte[] response) {
    metrics.query(ctx.transport(), Responses.rcode(response));
    return CompletableFuture.completedFuture(response);
  }

  private static byte[] withId(byte[] wire, int id) {
    byte[] out = wire.clone();
    out[0] = (byte) (id >> 8);
    out[1] = (byte) id;
    return out;
  }
}
