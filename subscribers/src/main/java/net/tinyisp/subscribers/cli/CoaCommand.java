package net.tinyisp.subscribers.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import net.tinyisp.subscribers.caps.CapEnforcer;
import net.tinyisp.subscribers.caps.NasCommands;
import net.tinyisp.subscribers.caps.RadiusNasCommands;
import net.tinyisp.subscribers.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyisp radius coa USER}: re-sends the subscriber's current speeds to each NAS it has a session on. */
@Command(name = "coa", mixinStandardHelpOptions = true,
    description = "Send a CoA-Request (RFC 5176) with the subscriber's current speed limits to every open session.")
public final class CoaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;
  @Mixin NasOptions nas;

  @Parameters(index = "0", paramLabel = "USER") String username;

  @Override
  public Integer call() throws Exception {
    try (Database db = store.open(); RadiusNasCommands commands = nas.commands()) {
      return report(spec, "CoA-Request", nas.enforcer(db, commands).coa(username));
    }
  }

  static int report(CommandSpec spec, String kind, List<NasCommands.Answer> answers) {
    PrintWriter out = spec.commandLine().getOut();
    if (answers.isEmpty()) {
      out.println("no open session: nothing sent");
      return 0;
    }
    int failed = 0;
    for (NasCommands.Answer a : answers) {
      out.println(kind + ": " + a.result() + (a.detail() == null ? "" : " (" + a.detail() + ")"));
      if (a.result() != NasCommands.Result.ACK) failed++;
    }
    return failed == 0 ? 0 : 1;
  }

  /** {@code tinyisp radius disconnect USER}. */
  @Command(name = "disconnect", mixinStandardHelpOptions = true,
      description = "Send a Disconnect-Request (RFC 5176) for every open session of the subscriber.")
  public static final class Disconnect implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;
    @Mixin NasOptions nas;

    @Parameters(index = "0", paramLabel = "USER") String username;

    @Override
    public Integer call() throws Exception {
      try (Database db = store.open(); RadiusNasCommands commands = nas.commands()) {
        return report(spec, "Disconnect-Request",
            nas.enforcer(db, commands).disconnect(username, CapEnforcer.Reason.OPERATOR));
      }
    }
  }
}
