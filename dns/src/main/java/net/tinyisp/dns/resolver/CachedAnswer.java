package net.tinyisp.dns.resolver;

import java.util.concurrent.atomic.AtomicReferenceArray;
import net.tinyisp.dns.cache.AnswerCache;
import net.tinyisp.dns.wire.AnswerTemplate;
import org.xbill.DNS.Message;

/**
 * One cache entry: the upstream answer to the question as asked and, for AAAA questions that need synthesis, the
 * A answer fetched with it. The rendered answers per client view (which dns64 blocks apply, EDNS or not) are
 * memoized, so synthesis runs once per view and entry while ACLs stay per client.
 */
final class CachedAnswer implements AnswerCache.Expiring {
  final Message answer;
  final Message aAnswer;
  final long storedNanos;
  final long expiresNanos;
  private final AtomicReferenceArray<AnswerTemplate> memo;

  CachedAnswer(Message answer, Message aAnswer, long storedNanos, long ttlSeconds, int variants) {
    this.answer = answer;
    this.aAnswer = aAnswer;
    this.storedNanos = storedNanos;
    this.expiresNanos = storedNanos + ttlSeconds * 1_000_000_000L;
    this.memo = variants > 0 ? new AtomicReferenceArray<>(variants) : null;
  }

  @Override
  public long expiresAtNanos() {
    return expiresNanos;
  }

  AnswerTemplate template(int variant) {
    return memo == null || variant >= memo.length() ? null : memo.get(variant);
  }

  void remember(int variant, AnswerTemplate t) {
    if (memo != null && variant < memo.length()) memo.set(variant, t);
  }
}
