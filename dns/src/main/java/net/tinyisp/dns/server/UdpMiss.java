package net.tinyisp.dns.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The path of a UDP query that {@link QueryHandler#answerInto} could not answer in place (a cache miss): through
 * {@link QueryHandler#handle}, the answer cut to the UDP size ({@link UdpTruncation}). Shared by the native socket
 * loop and the AF_XDP loop, which differ only in how they send.
 */
public final class UdpMiss {
  private UdpMiss() {}

  /**
   * The answer if {@code handle} already has it, else null, and {@code later} receives it when it completes (not if
   * the query fails or is dropped). {@code client} is the 4- or 16-byte source address.
   */
  public static byte[] answer(QueryHandler handler, byte[] query, byte[] client, int maxUdpSize,
      Consumer<byte[]> later) {
    InetAddress from;
    try {
      from = InetAddress.getByAddress(client);
    } catch (UnknownHostException e) {
      return null; // 4 or 16 bytes: cannot happen
    }
    CompletionStage<byte[]> stage = handler.handle(query, new QueryContext(from, Transport.UDP));
    if (stage instanceof CompletableFuture<byte[]> f && f.isDone() && !f.isCompletedExceptionally()) {
      byte[] r = f.getNow(null);
      return r == null ? null : UdpTruncation.apply(query, r, maxUdpSize);
    }
    stage.whenComplete((r, e) -> {
      if (r != null) later.accept(UdpTruncation.apply(query, r, maxUdpSize));
    });
    return null;
  }
}
