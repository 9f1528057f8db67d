package net.tinyisp.app.cli;

import java.nio.file.Path;
import net.tinyisp.app.TinyispConfig;
import net.tinyisp.common.config.ConfigLoader;

/** Where the config comes from: a file the operator names, else the default embedded in the distribution. */
final class ConfigSource {
  static final String EMBEDDED = "tinyisp-default.yaml";

  private ConfigSource() {}

  static TinyispConfig load(Path file) {
    ConfigLoader loader = new ConfigLoader();
    return file == null ? loader.loadResource(EMBEDDED, TinyispConfig.class) : loader.load(file, TinyispConfig.class);
  }

  static String describe(Path file) {
    return file == null ? "the embedded default config (classpath:" + EMBEDDED + ")" : file.toString();
  }
}
