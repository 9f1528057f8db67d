package net.tinyisp.subscribers.cli;

import picocli.CommandLine.Command;

/**
 * The store-side admin commands under {@code tinyisp radius}: {@code subscriber}, {@code plan}, {@code import},
 * {@code coa}, {@code disconnect}. The app can register this class as is, or add {@link #SUBCOMMANDS} to its own
 * {@code radius} command that also starts the server.
 */
@Command(name = "radius", mixinStandardHelpOptions = true,
    description = "Subscriber store administration.",
    subcommands = {SubscriberCommand.class, PlanCommand.class, ImportCommand.class, CoaCommand.class,
        CoaCommand.Disconnect.class})
public final class RadiusAdminCommand {
  public static final Class<?>[] SUBCOMMANDS = {SubscriberCommand.class, PlanCommand.class, ImportCommand.class,
      CoaCommand.class, CoaCommand.Disconnect.class};
}
