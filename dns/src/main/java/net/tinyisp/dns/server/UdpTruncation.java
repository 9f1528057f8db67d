package net.tinyisp.dns.server;

import net.tinyisp.dns.wire.ParsedQuery;
import net.tinyisp.dns.wire.QueryParser;
import net.tinyisp.dns.wire.Responses;

/**
 * The UDP size rule: an answer larger than the client's EDNS payload size (512 without EDNS, RFC 1035 §4.2.1),
 * capped at our own maximum (1232 by default, DNS flag day 2020, RFC 6891 §6.2.5), is replaced by a TC answer so
 * the client retries over TCP (RFC 7766 §5).
 */
public final class UdpTruncation {
  private UdpTruncation() {}

  public static byte[] apply(byte[] query, byte[] response, int maxUdpSize) {
    if (response.length <= 512) return response;
    ParsedQuery q = QueryParser.parse(query);
    int limit = Math.min(q.udpSize(), maxUdpSize);
    if (response.length <= limit) return response;
    return Responses.truncated(query, q, response, maxUdpSize);
  }
}
