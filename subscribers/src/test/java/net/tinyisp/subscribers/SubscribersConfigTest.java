package net.tinyisp.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.common.config.ConfigLoader;
import net.tinyisp.subscribers.accounting.UsagePeriod;
import net.tinyisp.subscribers.caps.CapPolicy;
import org.junit.jupiter.api.Test;

/** The YAML examples in README.md parse, and bad values fail with the line. */
class SubscribersConfigTest {
  record Top(@JsonProperty("subscribers") SubscribersConfig subscribers) {}

  static SubscribersConfig parse(String yaml) {
    return new ConfigLoader().read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml",
        Top.class).subscribers();
  }

  static List<String> readmeYaml() throws Exception {
    String md = Files.readString(Path.of("README.md"));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(md);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  @Test
  void everyReadmeExampleParses() throws Exception {
    List<String> blocks = readmeYaml();
    assertThat(blocks).hasSize(2);
    SubscribersConfig full = parse(blocks.get(0));
    assertThat(full.store()).isEqualTo("jdbc:sqlite:/var/lib/tinyisp/subscribers.db");
    assertThat(full.accounting().period()).isEqualTo(UsagePeriod.Length.MONTHLY);
    assertThat(full.accounting().usagePeriod().zone().getId()).isEqualTo("Europe/Berlin");
    assertThat(full.caps().action()).isEqualTo(CapPolicy.Action.THROTTLE);
    assertThat(full.caps().downKbps()).isEqualTo(1024);
    SubscribersConfig ldap = parse(blocks.get(1));
    assertThat(ldap.ldap().userFilter()).isEqualTo("(uid={0})");
    assertThat(ldap.ldap().defaultPlan()).isEqualTo("basic");
    assertThat(ldap.store()).isEqualTo("jdbc:sqlite:./data/subscribers.db");
  }

  @Test
  void defaultsAndErrorsNameTheFileAndKey() {
    SubscribersConfig d = SubscribersConfig.defaults();
    assertThat(d.store()).isEqualTo("jdbc:sqlite:./data/subscribers.db");
    assertThat(d.accounting().defaultInterimInterval()).isEqualTo(300);
    assertThat(d.toString()).doesNotContain("secret");
    assertThat(SubscribersConfig.of("jdbc:postgresql://h/db?user=u&password=secret").toString())
        .doesNotContain("secret");

    assertThatThrownBy(() -> parse("subscribers:\n  store: mysql://x\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.yaml:").hasMessageContaining("store 'mysql://x'")
        .hasMessageContaining("jdbc:sqlite");
    assertThatThrownBy(() -> parse("subscribers:\n  accounting:\n    period: yearly\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml:3:");
    assertThatThrownBy(() -> parse("subscribers:\n  accounting:\n    period-zone: Mars/Olympus\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("time zone");
    assertThatThrownBy(() -> parse("subscribers:\n  caps:\n    down-kbps: 0\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kbit/s");
    assertThatThrownBy(() -> parse("subscribers:\n  ldap:\n    url: http://x\n    base-dn: dc=x\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ldap://");
    assertThatThrownBy(() -> parse("subscribers:\n  stor: x\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("stor");
  }
}
