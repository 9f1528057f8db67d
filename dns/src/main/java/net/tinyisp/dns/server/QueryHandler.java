package net.tinyisp.dns.server;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.util.concurrent.CompletionStage;

/**
 * The one handler every front end calls (UDP, TCP, DoT, DoH, JSON): front ends only unwrap their framing.
 *
 * <p>Contract: the stage always completes normally with a wire-format response whose ID is the query's ID, or with
 * {@code null} when the query must be dropped silently (and counted by the handler), e.g. a response or garbage too
 * short to carry an ID. It never completes exceptionally: FORMERR, REFUSED and SERVFAIL are answers. The response
 * is not truncated for UDP; the UDP front end applies the client's EDNS size (RFC 6891) itself.
 */
@FunctionalInterface
public interface QueryHandler {
  CompletionStage<byte[]> handle(byte[] query, QueryContext context);

  /**
   * The synchronous path for what needs no I/O (a cache hit): writes the complete answer, already within the UDP
   * size {@code maxUdpSize} allows for this query, into {@code out} and returns true, having counted it like
   * {@link #handle} would. Returns false, with {@code out} untouched and nothing counted, for everything else; the
   * caller then uses {@link #handle}. Saves a future, a copy of the answer and the wrapper per answer.
   */
  default boolean answerNow(byte[] query, InetAddress client, Transport transport, int maxUdpSize, ByteBuf out) {
    return false;
  }

  /**
   * As {@link #answerNow}, for the native UDP loop: the query is the first {@code queryLength} bytes of
   * {@code query}, the client its raw address (4 or 16 bytes), and the answer is written at the start of {@code out}
   * (at least {@code maxUdpSize} long). Returns the answer's length, or -1 with nothing counted when {@link #handle}
   * must serve the query. The arrays are reused for the next query once this returns.
   */
  default int answerInto(byte[] query, int queryLength, byte[] client, Transport transport, int maxUdpSize,
      byte[] out) {
    return -1;
  }
}
