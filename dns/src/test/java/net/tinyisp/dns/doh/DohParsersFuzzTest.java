package net.tinyisp.dns.doh;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import net.tinyisp.common.net.IpPrefix;

/**
 * Jazzer fuzz targets for the parsers that face HTTP clients and proxies. Under plain {@code verify} they run the
 * seeds in {@code src/test/resources/net/tinyisp/dns/doh/DohParsersFuzzTestInputs/}; with {@code JAZZER_FUZZ=1}
 * they fuzz. The only acceptable failures are the documented IllegalArgumentException refusals.
 */
class DohParsersFuzzTest {
  private static final List<IpPrefix> TRUSTED = List.of(IpPrefix.parse("127.0.0.0/8"), IpPrefix.parse("::1/128"));

  @FuzzTest(maxDuration = "20s")
  void queryStringAndJsonRequest(FuzzedDataProvider data) {
    String raw = data.consumeRemainingAsString();
    Map<String, String> params;
    try {
      params = QueryParameters.parse(raw);
    } catch (IllegalArgumentException refused) {
      return;
    }
    try {
      JsonResolve.parse(params).query().toWire();
    } catch (IllegalArgumentException refused) {
      // a 400
    }
    DohRequest.decode("GET", params, null, new byte[0]);
  }

  @FuzzTest(maxDuration = "20s")
  void dohPostBody(FuzzedDataProvider data) {
    String contentType = data.consumeString(64);
    byte[] body = data.consumeRemainingAsBytes();
    if (DohRequest.decode("POST", Map.of(), contentType, body) instanceof DohRequest.Query q) {
      ResponseTtl.minTtl(q.message());
      ResponseTtl.aged(q.message(), 5);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void proxyV2Header(FuzzedDataProvider data) {
    byte[] b = data.consumeRemainingAsBytes();
    if (ProxyV2Header.parse(b, b.length) instanceof ProxyV2Header.Parsed p && p.length() > b.length) {
      throw new AssertionError("header longer than the input: " + p.length());
    }
  }

  @FuzzTest(maxDuration = "20s")
  void forwardedHeaders(FuzzedDataProvider data) throws Exception {
    String forwarded = data.consumeString(512);
    String xff = data.consumeRemainingAsString();
    InetAddress peer = InetAddress.getByName("127.0.0.1");
    InetAddress client = ForwardedClient.resolve(peer, TRUSTED, forwarded.isEmpty() ? null : forwarded, xff);
    if (client == null) throw new AssertionError("no client");
  }
}
