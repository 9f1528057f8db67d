package net.tinyisp.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  record Inner(String listen, int port) {}

  record Top(Inner dns, List<String> names) {}

  private Top read(String yaml) {
    return new ConfigLoader()
        .read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "t.yaml", Top.class);
  }

  @Test
  void readsNestedRecords() {
    Top t = read("dns:\n  listen: 127.0.0.1\n  port: 53\nnames: [a, b]\n");
    assertThat(t.dns().port()).isEqualTo(53);
    assertThat(t.names()).containsExactly("a", "b");
  }

  @Test
  void unknownKeyNamesFileLineAndChoices() {
    assertThatThrownBy(() -> read("dns:\n  listen: x\n  prot: 53\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("t.yaml:3:")
        .hasMessageContaining("unknown key 'prot' in 'dns'")
        .hasMessageContaining("listen, port");
  }

  @Test
  void wrongTypeNamesTheKeyAndExpectedForm() {
    assertThatThrownBy(() -> read("dns:\n  port: fifty\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("t.yaml:2:")
        .hasMessageContaining("'dns.port'")
        .hasMessageContaining("whole number");
  }

  @Test
  void emptyAndMalformedFilesFailClearly() {
    assertThatThrownBy(() -> read("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> read("dns: [\n")).isInstanceOf(ConfigException.class).hasMessageStartingWith("t.yaml:");
  }
}
