package net.tinyisp.dns.upstream;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * One upstream resolver reached over some transport (UDP with TCP fallback, DoT, DoH). Implementations pick their
 * own query ID and source port, check that the answer matches the question, and complete exceptionally with
 * {@link UpstreamException} on timeout or a lie (wrong ID, wrong question, oversized), never with a bad answer.
 */
public interface Upstream extends AutoCloseable {
  /** For logs and metrics labels: {@code udp://127.0.0.1:53}, {@code https://dns.example/dns-query}. */
  String name();

  CompletionStage<Message> query(Message query);

  @Override
  void close();
}
