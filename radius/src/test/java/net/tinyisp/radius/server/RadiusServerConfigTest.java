package net.tinyisp.radius.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.common.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class RadiusServerConfigTest {
  record Top(RadiusServerConfig radius) {}

  private static Top load(String yaml) {
    return new ConfigLoader().read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml",
        Top.class);
  }

  /** The example in radius/README.md parses as written. */
  @Test
  void readmeExampleLoads() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```yaml\n") + 8;
    String yaml = readme.substring(start, readme.indexOf("```", start));
    RadiusServerConfig c = load(yaml).radius();
    assertThat(c.authAddress().port()).isEqualTo(1812);
    assertThat(c.clients()).singleElement().satisfies(cl -> {
      assertThat(cl.secret()).isEqualTo("testing123");
      assertThat(cl.requireMessageAuthenticator()).isTrue();
    });
    assertThat(c.duplicateWindowSeconds()).isEqualTo(5);
    assertThat(c.receiveThreads()).isEqualTo(2);
  }

  @Test
  void defaultsAreSecure() {
    RadiusServerConfig c = load("radius:\n  clients:\n    - address: 10.0.0.0/8\n      secret: s\n").radius();
    assertThat(c.acct()).isEqualTo("127.0.0.1:1813");
    assertThat(c.clients().get(0).requireMessageAuthenticator()).isTrue();
    assertThat(c.clients().get(0).toNasClient().prefix().length()).isEqualTo(8);
  }

  @Test
  void badValuesNameTheLine() {
    assertThatThrownBy(() -> load("radius:\n  clients:\n    - address: 10.0.0.1/8\n      secret: s\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("host bits");
    assertThatThrownBy(() -> load("radius:\n  clients:\n    - address: 10.0.0.1\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("secret");
    assertThatThrownBy(() -> load("radius:\n  auth: localhost:1812\n")).isInstanceOf(ConfigException.class);
  }
}
