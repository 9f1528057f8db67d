package net.tinyisp.subscribers.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.tinyisp.subscribers.model.Plan;
import net.tinyisp.subscribers.model.PlanReplyItem;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyisp radius plan add|list|show}. */
@Command(name = "plan", description = "Service plans: speeds (kbit/s), interim interval, reply attributes.",
    mixinStandardHelpOptions = true,
    subcommands = {PlanCommand.Add.class, PlanCommand.ListPlans.class, PlanCommand.Show.class})
public final class PlanCommand {

  @Command(name = "add", description = "Add a plan (or replace it with --replace).", mixinStandardHelpOptions = true)
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--down", required = true, paramLabel = "KBIT/S",
        description = "downstream speed in kbit/s (RP-Downstream-Speed-Limit)")
    long down;

    @Option(names = "--up", required = true, paramLabel = "KBIT/S",
        description = "upstream speed in kbit/s (RP-Upstream-Speed-Limit)")
    long up;

    @Option(names = "--down-ceil", paramLabel = "KBIT/S", description = "shaper ceiling downstream (default: --down)")
    long downCeil;

    @Option(names = "--up-ceil", paramLabel = "KBIT/S", description = "shaper ceiling upstream (default: --up)")
    long upCeil;

    @Option(names = "--interim", paramLabel = "SECONDS", defaultValue = "300",
        description = "Acct-Interim-Interval (default: ${DEFAULT-VALUE}; 0 = not sent)")
    int interim;

    @Option(names = "--session-timeout", paramLabel = "SECONDS", defaultValue = "0",
        description = "Session-Timeout (0 = not sent)")
    int sessionTimeout;

    @Option(names = "--reply", paramLabel = "ATTR=VALUE", description = "extra reply attribute, repeatable")
    List<String> reply = new ArrayList<>();

    @Option(names = "--replace", description = "replace an existing plan of that name")
    boolean replace;

    @Override
    public Integer call() throws Exception {
      Plan p = new Plan(name, down, up, downCeil, upCeil, interim, sessionTimeout,
          reply.stream().map(PlanReplyItem::parse).toList());
      try (Database db = store.open()) {
        JdbcSubscriberStore s = new JdbcSubscriberStore(db);
        if (replace) s.putPlan(p);
        else s.addPlan(p);
      }
      spec.commandLine().getOut().println("plan " + name + (replace ? " saved" : " added"));
      return 0;
    }
  }

  @Command(name = "list", description = "List plans.", mixinStandardHelpOptions = true)
  static final class ListPlans implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = store.open()) {
        out.printf("%-24s %10s %10s %8s %s%n", "NAME", "DOWN-KBPS", "UP-KBPS", "INTERIM", "EXTRA");
        for (Plan p : new JdbcSubscriberStore(db).plans()) {
          out.printf("%-24s %10d %10d %8d %d%n", p.name(), p.downKbps(), p.upKbps(), p.interimInterval(),
              p.replyItems().size());
        }
      }
      return 0;
    }
  }

  @Command(name = "show", description = "Show one plan.", mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = store.open()) {
        var plan = new JdbcSubscriberStore(db).plan(name);
        if (plan.isEmpty()) {
          spec.commandLine().getErr().println("no plan " + name);
          return 1;
        }
        print(out, plan.get());
      }
      return 0;
    }
  }

  static void print(PrintWriter out, Plan p) {
    out.println("plan:             " + p.name());
    out.println("down:             " + p.downKbps() + " kbit/s (ceiling " + p.downCeilKbps() + ")");
    out.println("up:               " + p.upKbps() + " kbit/s (ceiling " + p.upCeilKbps() + ")");
    out.println("interim-interval: " + p.interimInterval() + " s");
    out.println("session-timeout:  " + p.sessionTimeout() + " s");
    for (PlanReplyItem i : p.replyItems()) out.println("reply:            " + i);
  }
}
