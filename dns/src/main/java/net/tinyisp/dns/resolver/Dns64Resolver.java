package net.tinyisp.dns.resolver;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import net.tinyisp.dns.DropReason;
import net.tinyisp.dns.acl.Acl;
import net.tinyisp.dns.cache.AnswerCache;
import net.tinyisp.dns.cache.CacheKey;
import net.tinyisp.dns.cache.TtlRules;
import net.tinyisp.dns.dns64.Dns64Block;
import net.tinyisp.dns.dns64.LocalAnswers;
import net.tinyisp.dns.dns64.Synthesizer;
import net.tinyisp.dns.server.DnsMetrics;
import net.tinyisp.dns.server.QueryContext;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.server.Transport;
import net.tinyisp.dns.upstream.UpstreamPool;
import net.tinyisp.dns.wire.AnswerTemplate;
import net.tinyisp.dns.wire.FlatAnswer;
import net.tinyisp.dns.wire.ParsedQuery;
import net.tinyisp.dns.wire.QueryParser;
import net.tinyisp.dns.wire.Responses;
import net.tinyisp.dns.wire.Unservable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The DNS64 resolver every front end calls: allow-query, local answers (ipv4only.arpa, reverse of the prefixes),
 * the cache, the upstreams, and synthesis applied per request after the cache so each client gets its own view
 * (RFC 6147 §5). A cache hit is answered on the calling thread from a rendered template.
 */
public final class Dns64Resolver implements QueryHandler {
  private static final Logger log = LoggerFactory.getLogger(Dns64Resolver.class);
  /** Above this many blocks the per-view memo would be too large; answers are then rendered per query. */
  private static final int MEMO_MAX_BLOCKS = 6;
  private static final byte[] IPV4ONLY_WIRE = {8, 'i', 'p', 'v', '4', 'o', 'n', 'l', 'y', 4, 'a', 'r', 'p', 'a', 0};
  private static final byte[] IP6ARPA_WIRE = {3, 'i', 'p', '6', 4, 'a', 'r', 'p', 'a', 0};

  private final Acl allowQuery;
  private final List<Dns64Block> blocks;
  private final List<Dns64Block>[] views;
  private final String[] viewLabels;
  /** The synthesized-answer counter of each view, looked up once instead of by label on every answer. */
  private final Counter[] viewSynthesized;
  private final AnswerCache<CachedAnswer> cache;
  private final UpstreamPool upstreams;
  private final DnsMetrics metrics;
  private final LongSupplier clock;
  private final int ourUdpSize;
  private final long maxTtl;
  private final int variants;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<CachedAnswer>> inFlight = new ConcurrentHashMap<>();
  private static final int DECISION_BITS = 8;
  /** The UDP loop thread's parsed query, reused for every query it reads (no allocation per query). */
  private static final ThreadLocal<ParsedQuery> SCRATCH = ThreadLocal.withInitial(ParsedQuery::new);
  private final ClientDecision[] decisions = new ClientDecision[1 << DECISION_BITS];
  private final HitIndex hits;

  @SuppressWarnings("unchecked")
  public Dns64Resolver(Acl allowQuery, List<Dns64Block> blocks, AnswerCache<CachedAnswer> cache,
      UpstreamPool upstreams, DnsMetrics metrics, LongSupplier nanoClock, int ourUdpSize, long maxTtl) {
    this.allowQuery = allowQuery;
    this.blocks = List.copyOf(blocks);
    this.cache = cache;
    this.upstreams = upstreams;
    this.metrics = metrics;
    this.clock = nanoClock;
    this.ourUdpSize = ourUdpSize;
    this.maxTtl = maxTtl;
    this.hits = new HitIndex(cache.maxEntries());
    int n = blocks.size();
    this.variants = n <= MEMO_MAX_BLOCKS ? 2 << n : 0;
    int masks = n <= MEMO_MAX_BLOCKS ? 1 << n : 1;
    this.views = new List[masks];
    this.viewLabels = new String[masks];
    this.viewSynthesized = new Counter[masks];
    for (int mask = 0; mask < masks; mask++) {
      List<Dns64Block> v = new ArrayList<>();
      for (int i = 0; i < n; i++) if ((mask >> i & 1) != 0) v.add(blocks.get(i));
      views[mask] = List.copyOf(v);
      viewLabels[mask] = String.join(",", v.stream().map(Dns64Block::prefixText).toList());
    }
  }

  @Override
  public boolean answerNow(byte[] query, InetAddress clientAddress, Transport transport, int maxUdpSize,
      ByteBuf out) {
    try {
      ParsedQuery q = QueryParser.parse(query);
      if (q.status() != ParsedQuery.Status.OK) return false;
      byte[] client = clientAddress.getAddress();
      if (!allowQuery.allows(client) || isLocal(q)) return false;
      CachedAnswer e = cache.get(new CacheKey(q.key()));
      if (e == null) return false;
      int mask = viewMask(client, q.recursionDesired());
      AnswerTemplate t = template(e, query, q, mask);
      // too large for this client over UDP: handle() answers, and the UDP front end truncates (RFC 6891 §6.2.5)
      if (t.length() > 512 && t.length() > Math.min(q.udpSize(), maxUdpSize)) return false;
      t.writeAnswer(out, query, q, clock.getAsLong());
      metrics.cache(true);
      if (t.synthesized()) countSynthesized(mask);
      metrics.query(transport, t.rcode());
      return true;
    } catch (RuntimeException e) {
      return false; // handle() serves it again, answers SERVFAIL and logs the cause
    }
  }

  @Override
  public int answerInto(byte[] query, int queryLength, byte[] client, Transport transport, int maxUdpSize,
      byte[] out) {
    try {
      ParsedQuery q = QueryParser.parseInto(query, queryLength, SCRATCH.get());
      if (q.status() != ParsedQuery.Status.OK) return -1;
      ClientDecision d = decision(client);
      if (!d.allowed()) return -1;
      int mask = q.recursionDesired() ? d.maskRd() : d.maskNoRd();
      if (variants == 0) return -1; // too many blocks to memoize views: handle() renders per query
      int variant = mask << 1 | (q.edns() ? 1 : 0);
      byte[] key = q.key();
      int klen = q.keyLength();
      int h = HitIndex.hash(key, klen, variant);
      long now = clock.getAsLong();
      byte[] r = hits.get(key, klen, variant, h, now);
      if (r == null) {
        if (isLocal(q)) return -1;
        CachedAnswer e = cache.get(new CacheKey(java.util.Arrays.copyOf(key, klen)));
        if (e == null) return -1;
        r = FlatAnswer.of(template(e, query, q, mask), key, klen, variant, e.expiresNanos);
        hits.put(h, r);
      }
      int len = FlatAnswer.length(r);
      // too large for this client over UDP: handle() answers, and the UDP front end truncates (RFC 6891 §6.2.5)
      if (len > Math.max(512, Math.min(q.udpSize(), maxUdpSize)) || len > out.length) return -1;
      FlatAnswer.writeAnswer(r, out, query, q, now);
      metrics.cache(true);
      if (FlatAnswer.synthesized(r)) countSynthesized(mask);
      metrics.query(transport, FlatAnswer.rcode(r));
      return len;
    } catch (RuntimeException e) {
      return -1; // handle() serves it again, answers SERVFAIL and logs the cause
    }
  }

  /** allow-query and the view for one client address, computed once and kept in a small direct-mapped memo. */
  private record ClientDecision(byte[] address, boolean allowed, int maskRd, int maskNoRd) {}

  private ClientDecision decision(byte[] client) {
    int i = (java.util.Arrays.hashCode(client) * 0x9E3779B9) >>> (32 - DECISION_BITS);
    ClientDecision d = decisions[i];
    if (d != null && java.util.Arrays.equals(d.address(), client)) return d;
    // ACLs are immutable once parsed, so a remembered decision never goes stale
    d = new ClientDecision(client.clone(), allowQuery.allows(client), viewMask(client, true), viewMask(client, false));
    decisions[i] = d; // a record of final fields: safely published even through this racy store
    return d;
  }

  /** Entries for the cache this resolver uses; exposed so the service can size and watch it. */
  public static AnswerCache<CachedAnswer> newCache(int maxEntries, LongSupplier nanoClock) {
    return new AnswerCache<>(maxEntries, nanoClock);
  }

  @Override
  public CompletionStage<byte[]> handle(byte[] query, QueryContext ctx) {
    ParsedQuery q = QueryParser.parse(query);
    try {
      return serve(query, q, ctx);
    } catch (RuntimeException e) {
      // a bug must cost one query, not the listener; the answer is SERVFAIL and the cause is logged
      log.atWarn().setCause(e).log("unexpected failure serving a query");
      return done(ctx, Responses.error(query, q, Responses.SERVFAIL, ourUdpSize));
    }
  }

  private CompletionStage<byte[]> serve(byte[] query, ParsedQuery q, QueryContext ctx) {
    Unservable bad = Unservable.of(query, q, ourUdpSize, metrics::drop);
    if (bad != null) {
      return bad.answer() == null ? CompletableFuture.completedFuture(null) : done(ctx, bad.answer());
    }
    byte[] client = ctx.client().getAddress();
    if (!allowQuery.allows(client)) {
      metrics.refused();
      metrics.drop(DropReason.CLIENT_REFUSED);
      return done(ctx, Responses.error(query, q, Responses.REFUSED, ourUdpSize));
    }
    int mask = viewMask(client, q.recursionDesired());
    CacheKey key = new CacheKey(q.key());
    long now = clock.getAsLong();
    boolean local = isLocal(q);
    if (!local) {
      CachedAnswer e = cache.get(key);
      if (e != null) {
        AnswerTemplate t = template(e, query, q, mask);
        metrics.cache(true);
        if (t.synthesized()) countSynthesized(mask);
        return done(ctx, t.answer(query, q, now));
      }
      metrics.cache(false);
    }
    return slowPath(query, q, ctx, key, mask, local);
  }

  private CompletionStage<byte[]> slowPath(byte[] query, ParsedQuery q, QueryContext ctx, CacheKey key, int mask,
      boolean local) {
    Message parsed;
    try {
      parsed = new Message(query);
    } catch (java.io.IOException | RuntimeException e) {
      metrics.drop(DropReason.QUERY_MALFORMED);
      return done(ctx, Responses.error(query, q, Responses.FORMERR, ourUdpSize));
    }
    Record question = parsed.getQuestion();
    Name qname = question.getName();
    List<Dns64Block> view = viewBlocks(mask);
    if (local && LocalAnswers.isIpv4OnlyArpa(qname) && question.getDClass() == DClass.IN) {
      Message m = LocalAnswers.ipv4OnlyArpa(qname, q.qtype(), view);
      if (q.qtype() == Type.AAAA && !view.isEmpty()) countSynthesized(mask);
      return done(ctx, finish(m, question, query, q));
    }
    if (local && q.qtype() == Type.PTR) {
      Name target = LocalAnswers.reverseTarget(qname, view);
      if (target != null) {
        CacheKey tkey = new CacheKey(keyFor(target, Type.PTR, q.key()[q.key().length - 1]));
        CachedAnswer hit = cache.get(tkey);
        CompletionStage<CachedAnswer> answer = hit != null ? CompletableFuture.completedFuture(hit)
            : fetch(tkey, Record.newRecord(target, Type.PTR, DClass.IN), q);
        return answer.handle((e, err) -> finish(
            LocalAnswers.reverse(qname, target, e == null ? null : e.answer), question, query, q))
            .thenApply(b -> count(ctx, b));
      }
    }
    return fetch(key, question, q).handle((e, err) -> {
      if (err != null || e == null) {
        return count(ctx, Responses.error(query, q, Responses.SERVFAIL, ourUdpSize));
      }
      AnswerTemplate t = render(e, query, q, mask);
      int variant = variants == 0 ? -1 : mask << 1 | (q.edns() ? 1 : 0);
      if (variant >= 0) e.remember(variant, t);
      if (t.synthesized()) countSynthesized(mask);
      return count(ctx, t.answer(query, q, clock.getAsLong()));
    });
  }

  /** Asks upstream (once for concurrent identical misses), adds the A answer a AAAA synthesis needs, caches. */
  private CompletionStage<CachedAnswer> fetch(CacheKey key, Record question, ParsedQuery q) {
    CompletableFuture<CachedAnswer> mine = new CompletableFuture<>();
    CompletableFuture<CachedAnswer> running = inFlight.putIfAbsent(key, mine);
    if (running != null) return running;
    mine.whenComplete((e, err) -> inFlight.remove(key, mine));
    boolean dnssecOk = q.dnssecOk();
    boolean cd = q.checkingDisabled();
    upstreams.query(upstreamQuery(question, dnssecOk, cd)).whenComplete((m, err) -> {
      if (err != null) {
        mine.completeExceptionally(err);
        return;
      }
      long now = clock.getAsLong();
      if (question.getType() == Type.AAAA && question.getDClass() == DClass.IN && anyBlockNeedsA(m, dnssecOk, cd)) {
        Record aq = Record.newRecord(question.getName(), Type.A, DClass.IN);
        upstreams.query(upstreamQuery(aq, dnssecOk, cd)).whenComplete((a, aErr) -> {
          // §5.1.2: if the A query fails, the AAAA answer stands for this query, but it is not cached: the next
          // query tries the A lookup again instead of serving an unsynthesized answer for the AAAA's whole TTL
          long ttl = a == null ? 0 : Math.min(TtlRules.cacheTtl(m, maxTtl), TtlRules.cacheTtl(a, maxTtl));
          mine.complete(store(key, m, a, now, ttl));
        });
      } else {
        mine.complete(store(key, m, null, now, TtlRules.cacheTtl(m, maxTtl)));
      }
    });
    return mine;
  }

  private CachedAnswer store(CacheKey key, Message m, Message a, long now, long ttl) {
    CachedAnswer e = new CachedAnswer(m, a, now, ttl, variants);
    if (ttl > 0) cache.put(key, e);
    return e;
  }

  private boolean anyBlockNeedsA(Message aaaa, boolean dnssecOk, boolean cd) {
    for (Dns64Block b : blocks) {
      if (Synthesizer.needsSynthesis(aaaa, List.of(b), dnssecOk, cd)) return true;
    }
    return false;
  }

  private static Message upstreamQuery(Record question, boolean dnssecOk, boolean cd) {
    Message m = Message.newQuery(question);
    if (cd) m.getHeader().setFlag(Flags.CD);
    // EDNS0 with 1232 bytes (DNS flag day 2020) so answers up to that size need no TCP retry
    m.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return m;
  }

  private AnswerTemplate render(CachedAnswer e, byte[] query, ParsedQuery q, int mask) {
    List<Dns64Block> view = viewBlocks(mask);
    Message content = e.answer;
    boolean synthesized = false;
    if (q.qtype() == Type.AAAA && q.qclass() == DClass.IN) {
      if (Synthesizer.needsSynthesis(e.answer, view, q.dnssecOk(), q.checkingDisabled())) {
        Synthesizer.Result r = Synthesizer.synthesize(e.answer, e.aAnswer, view, q.dnssecOk());
        content = r.message();
        synthesized = r.synthesized();
      } else {
        content = Synthesizer.passThrough(e.answer, view);
      }
    }
    byte[] wire = Renderer.render(content, e.answer.getQuestion(), q.flags(), q.edns(), q.dnssecOk(), ourUdpSize);
    return AnswerTemplate.of(wire, e.storedNanos, synthesized);
  }

  private byte[] finish(Message content, Record question, byte[] query, ParsedQuery q) {
    byte[] wire = Renderer.render(content, question, q.flags(), q.edns(), q.dnssecOk(), ourUdpSize);
    return AnswerTemplate.of(wire, clock.getAsLong(), false).answer(query, q, clock.getAsLong());
  }

  private int viewMask(byte[] client, boolean rd) {
    int mask = 0;
    for (int i = 0; i < blocks.size() && i < 31; i++) {
      if (blocks.get(i).appliesTo(client, rd)) mask |= 1 << i;
    }
    return mask;
  }

  private boolean isLocal(ParsedQuery q) {
    return endsWith(q.key(), q.qnameLength(), IPV4ONLY_WIRE)
        || (q.qtype() == Type.PTR && endsWith(q.key(), q.qnameLength(), IP6ARPA_WIRE));
  }

  /** The view's memoized answer for this entry, rendered (synthesis included) on first use. */
  private AnswerTemplate template(CachedAnswer e, byte[] query, ParsedQuery q, int mask) {
    int variant = variants == 0 ? -1 : mask << 1 | (q.edns() ? 1 : 0);
    AnswerTemplate t = variant < 0 ? null : e.template(variant);
    if (t == null) {
      t = render(e, query, q, mask);
      if (variant >= 0) e.remember(variant, t);
    }
    return t;
  }

  private void countSynthesized(int mask) {
    if (mask >= viewSynthesized.length) {
      metrics.synthesized(viewLabel(mask));
      return;
    }
    Counter c = viewSynthesized[mask];
    if (c == null) viewSynthesized[mask] = c = metrics.synthesizedCounter(viewLabels[mask]);
    c.increment();
  }

  private String viewLabel(int mask) {
    if (mask < viewLabels.length) return viewLabels[mask];
    return String.join(",", viewBlocks(mask).stream().map(Dns64Block::prefixText).toList());
  }

  private List<Dns64Block> viewBlocks(int mask) {
    if (mask < views.length) return views[mask];
    List<Dns64Block> v = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) if ((mask >> i & 1) != 0) v.add(blocks.get(i));
    return v;
  }

  private static boolean endsWith(byte[] key, int nameLen, byte[] suffix) {
    if (nameLen < suffix.length) return false;
    int off = nameLen - suffix.length;
    for (int i = 0; i < suffix.length; i++) if (key[off + i] != suffix[i]) return false;
    // the suffix must start at a label boundary: walk the labels from the start
    int p = 0;
    while (p < off) p += (key[p] & 0xff) + 1;
    return p == off;
  }

  private static byte[] keyFor(Name name, int type, byte flags) {
    byte[] wire = name.canonicalize().toWire();
    byte[] k = new byte[wire.length + 5];
    System.arraycopy(wire, 0, k, 0, wire.length);
    k[wire.length] = (byte) (type >> 8);
    k[wire.length + 1] = (byte) type;
    k[wire.length + 2] = 0;
    k[wire.length + 3] = (byte) DClass.IN;
    k[wire.length + 4] = flags;
    return k;
  }

  private CompletionStage<byte[]> done(QueryContext ctx, byte[] response) {
    return CompletableFuture.completedFuture(count(ctx, response));
  }

  private byte[] count(QueryContext ctx, byte[] response) {
    metrics.query(ctx.transport(), Responses.rcode(response));
    return response;
  }

  /** Cached entries (for a gauge). */
  public int cacheSize() {
    return cache.size();
  }
}
