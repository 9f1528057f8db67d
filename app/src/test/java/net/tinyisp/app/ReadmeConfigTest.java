package net.tinyisp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tinyisp.common.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** Every YAML example in the top-level README and the embedded default config load as a whole tinyisp config. */
class ReadmeConfigTest {
  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    return Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("mvnw")) ? p : p.getParent();
  }

  static List<String> yamlBlocks(Path markdown) throws Exception {
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(markdown));
    List<String> out = new ArrayList<>();
    while (m.find()) out.add(m.group(1));
    return out;
  }

  @Test
  void readmeExamplesAreValidConfigs() throws Exception {
    List<String> blocks = yamlBlocks(root().resolve("README.md"));
    assertThat(blocks).isNotEmpty();
    for (String yaml : blocks) {
      TinyispConfig c = new ConfigLoader().read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
          "README.md", TinyispConfig.class);
      assertThat(c.dns64()).isNotNull();
      assertThat(c.pppoe().iface()).isEqualTo("eth1");
      assertThat(c.nat64()).isNotNull();
      assertThat(c.radius()).isNotNull();
    }
  }

  @Test
  void theEmbeddedDefaultIsLoopbackOnly() {
    TinyispConfig c = new ConfigLoader().loadResource("tinyisp-default.yaml", TinyispConfig.class);
    assertThat(c.dns64().listen()).allMatch(l -> l.startsWith("127.") || l.startsWith("[::1]"));
    assertThat(c.admin().listen()).allMatch(l -> l.startsWith("127."));
  }
}
