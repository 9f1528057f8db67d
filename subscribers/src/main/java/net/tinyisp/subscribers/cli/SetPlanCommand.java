package net.tinyisp.subscribers.cli;

import java.util.concurrent.Callable;
import net.tinyisp.subscribers.caps.RadiusNasCommands;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyisp radius subscriber set-plan USER PLAN [--coa]}. */
@Command(name = "set-plan", mixinStandardHelpOptions = true,
    description = "Move a subscriber to another plan; with --coa, tell the NAS the new speeds now (RFC 5176).")
final class SetPlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;
  @Mixin NasOptions nas;

  @Parameters(index = "0", paramLabel = "USER") String username;

  @Parameters(index = "1", paramLabel = "PLAN") String plan;

  @Option(names = "--coa", description = "send a CoA-Request with the new plan's speeds to open sessions")
  boolean coa;

  @Override
  public Integer call() throws Exception {
    try (Database db = store.open()) {
      if (!new JdbcSubscriberStore(db).setPlan(username, plan)) {
        spec.commandLine().getErr().println("no subscriber " + username);
        return 1;
      }
      spec.commandLine().getOut().println("subscriber " + username + " now on plan " + plan);
      if (!coa) return 0;
      try (RadiusNasCommands commands = nas.commands()) {
        return CoaCommand.report(spec, "CoA-Request", nas.enforcer(db, commands).planChanged(username));
      }
    }
  }
}
