package net.tinyisp.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void formsOperatorsWrite() {
    assertThat(HostPort.parse("127.0.0.1:5353", 53).toString()).isEqualTo("127.0.0.1:5353");
    assertThat(HostPort.parse("[::1]:53", -1).toString()).isEqualTo("[0:0:0:0:0:0:0:1]:53");
    assertThat(HostPort.parse("::1", 53).port()).isEqualTo(53);
    assertThat(HostPort.parse("127.0.0.1", 53).port()).isEqualTo(53);
  }

  @Test
  void refusesNamesAndBadPorts() {
    assertThatThrownBy(() -> HostPort.parse("localhost:53", 53)).hasMessageContaining("literal");
    assertThatThrownBy(() -> HostPort.parse("127.0.0.1:70000", 53)).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> HostPort.parse("127.0.0.1", -1)).hasMessageContaining("port is required");
  }
}
