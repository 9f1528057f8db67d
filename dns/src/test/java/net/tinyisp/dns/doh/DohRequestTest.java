package net.tinyisp.dns.doh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** RFC 8484 §4.1 request forms and the status of every refusal. */
class DohRequestTest {
  static byte[] query() throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString("www.example.com."), Type.AAAA, DClass.IN));
    q.getHeader().setID(0);
    return q.toWire();
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static int status(DohRequest.Decoded d) {
    return d instanceof DohRequest.Refusal r ? r.status() : 200;
  }

  @Test
  void rfc8484ExampleGet() {
    // RFC 8484 §4.1.1: the GET example for www.example.com AAAA
    var d = DohRequest.decode("GET", Map.of("dns", "AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB"), null, new byte[0]);
    assertThat(d).isInstanceOf(DohRequest.Query.class);
  }

  @Test
  void getPostAndTheOlderCtForm() throws Exception {
    byte[] q = query();
    assertThat(status(DohRequest.decode("GET", Map.of("dns", b64(q)), null, new byte[0]))).isEqualTo(200);
    assertThat(status(DohRequest.decode("GET", Map.of("dns", b64(q), "ct", "application/dns-message"), null,
        new byte[0]))).isEqualTo(200);
    assertThat(status(DohRequest.decode("POST", Map.of(), "application/dns-message", q))).isEqualTo(200);
    assertThat(status(DohRequest.decode("POST", Map.of(), "Application/DNS-Message; charset=x", q))).isEqualTo(200);
  }

  @Test
  void refusals() throws Exception {
    byte[] q = query();
    assertThat(status(DohRequest.decode("GET", Map.of(), null, new byte[0]))).isEqualTo(400);
    assertThat(status(DohRequest.decode("GET", Map.of("dns", "***"), null, new byte[0]))).isEqualTo(400);
    assertThat(status(DohRequest.decode("GET", Map.of("dns", b64(new byte[5])), null, new byte[0]))).isEqualTo(400);
    byte[] truncated = java.util.Arrays.copyOf(q, q.length - 1);
    assertThat(status(DohRequest.decode("POST", Map.of(), "application/dns-message", truncated))).isEqualTo(400);
    byte[] response = q.clone();
    response[2] |= (byte) 0x80;
    assertThat(status(DohRequest.decode("POST", Map.of(), "application/dns-message", response))).isEqualTo(400);
    assertThat(status(DohRequest.decode("POST", Map.of(), "text/plain", q))).isEqualTo(415);
    assertThat(status(DohRequest.decode("POST", Map.of(), null, q))).isEqualTo(415);
    assertThat(status(DohRequest.decode("GET", Map.of("dns", b64(q), "ct", "text/plain"), null, new byte[0])))
        .isEqualTo(415);
    assertThat(status(DohRequest.decode("POST", Map.of(), "application/dns-message", new byte[70_000])))
        .isEqualTo(413);
    assertThat(status(DohRequest.decode("GET", Map.of("dns", "A".repeat(90_000)), null, new byte[0])))
        .isEqualTo(413);
    assertThat(status(DohRequest.decode("PUT", Map.of(), null, q))).isEqualTo(405);
    assertThat(status(DohRequest.decode("HEAD", Map.of(), null, q))).isEqualTo(405);
  }
}
