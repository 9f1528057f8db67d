package net.tinyisp.dns.doh;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.tinyisp.dns.server.QueryContext;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.server.Transport;
import net.tinyisp.dns.tls.EncryptedDnsDrop;
import net.tinyisp.dns.tls.EncryptedDnsMetrics;
import org.xbill.DNS.Message;

/**
 * One HTTP exchange on a DoH listener, independent of HTTP/1.1 or HTTP/2 framing: routes {@code /dns-query}
 * (RFC 8484) and {@code /resolve} (JSON API) to the query handler and says what to answer.
 */
public final class DohResponder {
  public static final String DNS_QUERY_PATH = "/dns-query";
  public static final String RESOLVE_PATH = "/resolve";

  /**
   * What to send back. {@code maxAge} is the {@code Cache-Control: max-age} (RFC 8484 §5.1), or -1 for
   * {@code no-store} on errors.
   */
  public record Reply(int status, String contentType, byte[] body, long maxAge) {
    static Reply error(int status, String why) {
      return new Reply(status, "text/plain; charset=utf-8", (why + "\n").getBytes(StandardCharsets.UTF_8), -1);
    }
  }

  private final QueryHandler handler;
  private final EncryptedDnsMetrics metrics;

  public DohResponder(QueryHandler handler, EncryptedDnsMetrics metrics) {
    this.handler = handler;
    this.metrics = metrics;
  }

  public CompletionStage<Reply> respond(String method, String uri, String contentType, byte[] body,
      InetAddress client) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    Map<String, String> params;
    try {
      params = QueryParameters.parse(q < 0 ? null : uri.substring(q + 1));
    } catch (IllegalArgumentException e) {
      return refuse(400, EncryptedDnsDrop.HTTP_BAD_REQUEST, e.getMessage());
    }
    return switch (path) {
      case DNS_QUERY_PATH -> dnsQuery(method, params, contentType, body, client);
      case RESOLVE_PATH -> resolve(method, params, client);
      default -> refuse(404, EncryptedDnsDrop.HTTP_NOT_FOUND, "DNS is served on " + DNS_QUERY_PATH + " and "
          + RESOLVE_PATH);
    };
  }

  private CompletionStage<Reply> dnsQuery(String method, Map<String, String> params, String contentType,
      byte[] body, InetAddress client) {
    switch (DohRequest.decode(method, params, contentType, body)) {
      case DohRequest.Refusal r -> {
        return refuse(r.status(), r.reason(), r.why());
      }
      case DohRequest.Query query -> {
        metrics.query(Transport.DOH);
        return handler.handle(query.message(), new QueryContext(client, Transport.DOH)).thenApply(response -> {
          if (response == null) {
            metrics.drop(EncryptedDnsDrop.HANDLER_DROPPED);
            return Reply.error(400, "query not answerable");
          }
          return new Reply(200, DohRequest.DNS_MESSAGE, response, Math.max(0, ResponseTtl.minTtl(response)));
        });
      }
    }
  }

  private CompletionStage<Reply> resolve(String method, Map<String, String> params, InetAddress client) {
    if (!method.equals("GET")) {
      return refuse(405, EncryptedDnsDrop.HTTP_METHOD, "use GET");
    }
    JsonResolve.Request request;
    try {
      request = JsonResolve.parse(params);
    } catch (IllegalArgumentException e) {
      return refuse(400, EncryptedDnsDrop.HTTP_BAD_REQUEST, e.getMessage());
    }
    metrics.query(Transport.DOH_JSON);
    return handler.handle(request.query().toWire(), new QueryContext(client, Transport.DOH_JSON))
        .thenApply(response -> {
          if (response == null) {
            metrics.drop(EncryptedDnsDrop.HANDLER_DROPPED);
            return Reply.error(400, "query not answerable");
          }
          long maxAge = Math.max(0, ResponseTtl.minTtl(response));
          if (request.responseType().equals(DohRequest.DNS_MESSAGE)) {
            return new Reply(200, DohRequest.DNS_MESSAGE, response, maxAge);
          }
          try {
            return new Reply(200, request.responseType(), JsonResolve.render(new Message(response)), maxAge);
          } catch (IOException e) {
            return Reply.error(502, "the resolver's answer did not parse");
          }
        });
  }

  private CompletionStage<Reply> refuse(int status, EncryptedDnsDrop reason, String why) {
    metrics.drop(reason);
    return CompletableFuture.completedFuture(Reply.error(status, why));
  }
}
