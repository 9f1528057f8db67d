package net.tinyisp.dns.doh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Type;

class JsonResolveTest {
  @Test
  void parametersBuildTheQuery() {
    var r = JsonResolve.parse(Map.of("name", "example.com", "type", "aaaa", "cd", "1", "do", "true"));
    assertThat(r.query().getQuestion().getName().toString()).isEqualTo("example.com.");
    assertThat(r.query().getQuestion().getType()).isEqualTo(Type.AAAA);
    assertThat(r.query().getHeader().getFlag(Flags.CD)).isTrue();
    assertThat(r.query().getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(r.query().getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
    assertThat(r.responseType()).isEqualTo(JsonResolve.JSON);
    assertThat(JsonResolve.parse(Map.of("name", "x.", "type", "65", "ct", "application/dns-json")).query()
        .getQuestion().getType()).isEqualTo(65);
    assertThat(JsonResolve.parse(Map.of("name", "x.")).query().getQuestion().getType()).isEqualTo(Type.A);
  }

  @Test
  void badParameters() {
    assertThatThrownBy(() -> JsonResolve.parse(Map.of())).hasMessageContaining("name");
    assertThatThrownBy(() -> JsonResolve.parse(Map.of("name", "x", "type", "BOGUS"))).hasMessageContaining("type");
    assertThatThrownBy(() -> JsonResolve.parse(Map.of("name", "x", "type", "70000"))).hasMessageContaining("type");
    assertThatThrownBy(() -> JsonResolve.parse(Map.of("name", "x", "cd", "maybe"))).hasMessageContaining("cd");
    assertThatThrownBy(() -> JsonResolve.parse(Map.of("name", "x", "ct", "text/html"))).hasMessageContaining("ct");
    assertThatThrownBy(() -> JsonResolve.parse(Map.of("name", "a".repeat(64) + ".x")))
        .hasMessageContaining("domain name");
  }

  @Test
  void renderGoogleShape() throws Exception {
    JsonNode j = new ObjectMapper().readTree(JsonResolve.render(ResponseTtlTest.response()));
    assertThat(j.get("Status").asInt()).isZero();
    assertThat(j.get("Question").get(0).get("type").asInt()).isEqualTo(28);
    assertThat(j.get("Answer").get(0).get("data").asText()).isEqualTo("2001:db8::1");
    assertThat(j.get("Answer").get(1).get("TTL").asInt()).isEqualTo(120);
    assertThat(j.get("Authority").get(0).get("type").asInt()).isEqualTo(6);
    assertThat(j.has("Additional")).isFalse(); // only the OPT, which is not a record to show
  }
}
