package net.tinyisp.radius.server;

/**
 * Durable accounting sink. {@link #record} returns only after the record is committed; the server sends the
 * Accounting-Response after that (RFC 2866 §2: the server must not answer until it has recorded the packet). If it
 * throws, the server does not answer and the NAS retransmits. Called on a virtual thread; may block.
 */
public interface AccountingSink {
  void record(AccountingRecord r) throws Exception;
}
