package net.tinyisp.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's YAML examples bind to the config records, with unknown keys failing as the app's loader does. */
class ReadmeExamplesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void configExamplesBindToTheRecords() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).hasSize(2);
        HierarchyConfig config = YAML.readValue(blocks.get(0), HierarchyConfig.class);
        assertThat(config).isEqualTo(HierarchyConfig.forUplink(1_000_000_000L));
        SubscriberPlan plan = YAML.readValue(blocks.get(1), SubscriberPlan.class);
        assertThat(plan).isEqualTo(SubscriberPlan.of(10_000_000, 50_000_000));
        assertThat(plan.burstBytes()).isEqualTo(10_000_000 / 8 / 1000 + 1514);
    }
}
