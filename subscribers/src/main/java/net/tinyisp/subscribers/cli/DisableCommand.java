package net.tinyisp.subscribers.cli;

import java.util.concurrent.Callable;
import net.tinyisp.subscribers.caps.CapEnforcer;
import net.tinyisp.subscribers.caps.RadiusNasCommands;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyisp radius subscriber disable USER [--disconnect]}. */
@Command(name = "disable", mixinStandardHelpOptions = true,
    description = "Disable a subscriber (new logins are rejected); with --disconnect, end its open sessions too.")
final class DisableCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;
  @Mixin NasOptions nas;

  @Parameters(index = "0", paramLabel = "USER") String username;

  @Option(names = "--disconnect", description = "send a Disconnect-Request for every open session")
  boolean disconnect;

  @Override
  public Integer call() throws Exception {
    try (Database db = store.open()) {
      if (!new JdbcSubscriberStore(db).setEnabled(username, false)) {
        spec.commandLine().getErr().println("no subscriber " + username);
        return 1;
      }
      spec.commandLine().getOut().println("subscriber " + username + " disabled");
      if (!disconnect) return 0;
      try (RadiusNasCommands commands = nas.commands()) {
        return CoaCommand.report(spec, "Disconnect-Request",
            nas.enforcer(db, commands).disconnect(username, CapEnforcer.Reason.OPERATOR));
      }
    }
  }

  /** {@code tinyisp radius subscriber enable USER}. */
  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled subscriber.")
  static final class Enable implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "USER") String username;

    @Override
    public Integer call() throws Exception {
      try (Database db = store.open()) {
        if (!new JdbcSubscriberStore(db).setEnabled(username, true)) {
          spec.commandLine().getErr().println("no subscriber " + username);
          return 1;
        }
      }
      spec.commandLine().getOut().println("subscriber " + username + " enabled");
      return 0;
    }
  }
}
