package net.tinyisp.dns.doh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryParametersTest {
  @Test
  void firstValueOfEachKeyPercentAndPlusDecoded() {
    assertThat(QueryParameters.parse("dns=AAAB&ct=application%2Fdns-message&dns=other&name=a+b&flag"))
        .containsEntry("dns", "AAAB").containsEntry("ct", "application/dns-message").containsEntry("name", "a b")
        .containsEntry("flag", "");
  }

  @Test
  void emptyAndNull() {
    assertThat(QueryParameters.parse(null)).isEmpty();
    assertThat(QueryParameters.parse("")).isEmpty();
    assertThat(QueryParameters.parse("&&")).isEmpty();
  }

  @Test
  void badEscapesAndTooManyParametersAreRefused() {
    assertThatThrownBy(() -> QueryParameters.parse("dns=%zz")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueryParameters.parse("dns=%4")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueryParameters.parse("a=1&".repeat(40))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueryParameters.parse("x".repeat(QueryParameters.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
