package net.tinyisp.radius.server;

/**
 * Durable accounting sink. {@link #record} returns only after the record is committed; the server sends the
 * Accounting-Response after that (RFC 2866 §2: the server must not answer until it has recorded the packet). If it
 * throws, the server does not answer and the NAS retransmits. Called on a virtual thread; may block.
 */
public interface AccountingSink {
  void record(AccountingRecord r) throws Exception;

  /**
   * The same commit without holding a thread: the future completes once the record is durable (or fails). The
   * default runs {@link #record} on a virtual thread; a sink that batches (group commit) overrides it.
   */
  default java.util.concurrent.CompletableFuture<Void> recordAsync(AccountingRecord r) {
    java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
    Thread.ofVirtual().name("radius-acct-record").start(() -> {
      try {
        record(r);
        f.complete(null);
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f;
  }
}
