package net.tinyisp.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyisp check --config FILE}: validates a config without starting anything (for CI and before reloads). */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a config file and exit.")
public final class CheckCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML config (default: the embedded one)")
  Path config;

  @Override
  public Integer call() {
    ConfigSource.load(config);
    System.out.println(ConfigSource.describe(config) + ": ok");
    return 0;
  }
}
