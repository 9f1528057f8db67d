package net.tinyisp.app;

import net.tinyisp.app.cli.TinyispCommand;
import picocli.CommandLine;

/** Entry point of the runnable jar and of {@code bin/tinyisp}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    LogSetup.configure(System.getenv().getOrDefault("TINYISP_LOG_FORMAT", "text"));
    System.exit(TinyispCommand.commandLine().execute(args));
  }

  /** For tests: runs a command line in-process and returns its exit code. */
  public static int run(String... args) {
    return TinyispCommand.commandLine().execute(args);
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  static CommandLine.IVersionProvider versionProvider() {
    return () -> new String[] {"tinyisp " + version(), "Java " + Runtime.version()};
  }
}
