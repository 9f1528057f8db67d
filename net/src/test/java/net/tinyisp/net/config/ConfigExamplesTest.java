package net.tinyisp.net.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.common.config.ConfigLoader;
import net.tinyisp.net.packet.AfPacketConfig;
import net.tinyisp.net.tun.TunConfig;
import org.junit.jupiter.api.Test;

/** The YAML examples in net/README.md load through the project's ConfigLoader into the config records. */
class ConfigExamplesTest {
  private final ConfigLoader loader = new ConfigLoader();

  @Test
  void readmeExamplesLoad() throws Exception {
    List<String> blocks = yamlBlocks(Files.readString(Path.of("README.md")));
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
    TunConfig tun = load(blocks.get(0), TunConfig.class);
    assertThat(tun.name()).isEqualTo("nat64");
    assertThat(tun.queues()).isEqualTo(2);
    assertThat(tun.vnetHeader()).isTrue();
    assertThat(tun.offloads()).containsExactly("csum", "tso4", "tso6", "uso4", "uso6");
    AfPacketConfig pkt = load(blocks.get(1), AfPacketConfig.class);
    assertThat(pkt.interfaceName()).isEqualTo("eth1");
    assertThat(pkt.etherTypes()).containsExactly(0x8863, 0x8864);
    assertThat(pkt.blockSize()).isEqualTo(1 << 20);
  }

  @Test
  void badValuesFailWithTheReason() {
    assertThatThrownBy(() -> load("name: t0\noffloads: [tso4]\n", TunConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("vnet-header");
    assertThatThrownBy(() -> load("name: t0\nqueue: 2\n", TunConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("queue");
    assertThatThrownBy(() -> load("interface-name: eth1\nblock-size: 1000\n", AfPacketConfig.class))
        .isInstanceOf(ConfigException.class).hasMessageContaining("block-size");
  }

  private <T> T load(String yaml, Class<T> type) {
    return loader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "README", type);
  }

  private static List<String> yamlBlocks(String markdown) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while ((i = markdown.indexOf("```yaml\n", i)) >= 0) {
      int end = markdown.indexOf("```", i + 8);
      out.add(markdown.substring(i + 8, end));
      i = end + 3;
    }
    return out;
  }
}
