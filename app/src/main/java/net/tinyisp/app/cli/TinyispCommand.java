package net.tinyisp.app.cli;

import net.tinyisp.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tinyisp}: one command, a subcommand per component, plus {@code run} for everything from one file. */
@Command(
    name = "tinyisp",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "The software a small IPv6-only ISP runs: DNS64, encrypted DNS, NAT64, RADIUS, PPPoE, shaping.",
    subcommands = {RunCommand.class, CheckCommand.class, Dns64Command.class, CommandLine.HelpCommand.class})
public final class TinyispCommand implements Runnable {
  /** Exit code for configuration errors (sysexits.h EX_CONFIG), so scripts can tell them from crashes. */
  public static final int EXIT_CONFIG = 78;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TinyispCommand());
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof ConfigException || ex instanceof IllegalArgumentException) {
        cmd.getErr().println("tinyisp: " + ex.getMessage());
        return EXIT_CONFIG;
      }
      cmd.getErr().println("tinyisp: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      return 1;
    });
    return cl;
  }
}
