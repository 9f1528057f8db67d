package net.tinyisp.app.cli;

import net.tinyisp.app.TinyispConfig;
import net.tinyisp.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tinyisp}: one command, a subcommand per component, plus {@code run} for everything from one file. */
@Command(
    name = "tinyisp",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "The software a small IPv6-only ISP runs: DNS64, encrypted DNS, NAT64, RADIUS, PPPoE, shaping.",
    subcommands = {RunCommand.class, CheckCommand.class, Dns64Command.class, PppoeCommand.class,
        net.tinyisp.radius.cli.RadiusCommand.class, CommandLine.HelpCommand.class})
public final class TinyispCommand implements Runnable {
  /** Exit code for configuration errors (sysexits.h EX_CONFIG), so scripts can tell them from crashes. */
  public static final int EXIT_CONFIG = 78;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int serve(TinyispConfig config) {
    try {
      return RunCommand.serve(net.tinyisp.app.Wiring.build(config));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new TinyispCommand());
    // components whose commands live in their modules; here they get the distribution's runner (admin, metrics)
    cl.addSubcommand("nat64", new net.tinyisp.nat64.cli.Nat64Command(
        () -> new net.tinyisp.app.Nat64AdminView(AdminFlag.target()),
        cfg -> serve(TinyispConfig.adminOnly(AdminFlag.config(null)).withNat64(cfg))));
    cl.addSubcommand("doh-proxy", new net.tinyisp.dns.cli.DohProxyCommand(
        cfg -> serve(TinyispConfig.adminOnly(AdminFlag.config(null)).withDohProxy(cfg))));
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
