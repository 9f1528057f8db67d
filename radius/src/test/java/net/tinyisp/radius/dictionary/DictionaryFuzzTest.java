package net.tinyisp.radius.dictionary;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import net.tinyisp.common.config.ConfigException;

/** Operators point tinyisp at dictionary files of any origin: every input loads or fails with a ConfigException. */
class DictionaryFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parserFailsOnlyWithConfigException(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    if (text.contains("$INCLUDE")) return; // would read arbitrary files; includes are covered by unit tests
    try {
      DictionaryParser.parseText(text, "fuzz");
    } catch (ConfigException expected) {
      // file:line message for the operator
    }
  }
}
