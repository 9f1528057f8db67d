package net.tinyisp.subscribers.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.subscribers.accounting.SessionLookup;
import net.tinyisp.subscribers.model.PasswordHash;
import net.tinyisp.subscribers.model.StoredPassword;
import net.tinyisp.subscribers.model.Subscriber;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyisp radius subscriber add|list|show|set-plan|disable|enable}. */
@Command(name = "subscriber", description = "Subscriber accounts in the store.", mixinStandardHelpOptions = true,
    subcommands = {SubscriberCommand.Add.class, SubscriberCommand.ListSubscribers.class, SubscriberCommand.Show.class,
        SetPlanCommand.class, DisableCommand.class, DisableCommand.Enable.class})
public final class SubscriberCommand {

  static final class PasswordSource {
    @Option(names = "--password", paramLabel = "PASSWORD",
        description = "the password (visible in ps and shell history; prefer --password-file or --password-stdin)")
    String value;

    @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from the first line")
    Path file;

    @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
    boolean stdin;

    String read() throws java.io.IOException {
      if (value != null) return value;
      if (file != null) return Files.readAllLines(file, StandardCharsets.UTF_8).getFirst();
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) throw new IllegalArgumentException("no password on standard input");
      return line;
    }
  }

  @Command(name = "add", description = "Add a subscriber.", mixinStandardHelpOptions = true)
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "USER") String username;

    @ArgGroup(exclusive = true, multiplicity = "1") PasswordSource password;

    @Option(names = "--plan", required = true, paramLabel = "PLAN") String plan;

    @Option(names = "--chap", description = "store the password in clear so CHAP works (CHAP, RFC 1994, needs the"
        + " cleartext; otherwise it is stored as a PBKDF2 hash and only PAP works)")
    boolean chap;

    @Option(names = "--framed-ipv6-prefix", paramLabel = "PREFIX", description = "static link prefix (RFC 3162)")
    String framed;

    @Option(names = "--delegated-ipv6-prefix", paramLabel = "PREFIX", description = "static delegated prefix"
        + " (RFC 4818)")
    String delegated;

    @Option(names = "--data-cap", paramLabel = "SIZE", defaultValue = "0",
        description = "octets per usage period, in + out (e.g. 100G; 0 = no cap)")
    String dataCap;

    @Option(names = "--disabled", description = "add the account disabled")
    boolean disabled;

    @Option(names = "--iterations", defaultValue = "10000", description = "PBKDF2 iterations (default"
        + " ${DEFAULT-VALUE})")
    int iterations;

    @Override
    public Integer call() throws Exception {
      String pw = password.read();
      StoredPassword stored = chap ? new StoredPassword.Cleartext(pw)
          : new StoredPassword.Hashed(PasswordHash.pbkdf2(pw, iterations));
      Subscriber s = new Subscriber(username, stored, chap, plan, framed == null ? null : IpPrefix.parse(framed),
          delegated == null ? null : IpPrefix.parse(delegated), !disabled, Sizes.parse(dataCap));
      try (Database db = store.open()) {
        new JdbcSubscriberStore(db).addSubscriber(s);
      }
      spec.commandLine().getOut().println("subscriber " + username + " added (plan " + plan + ", password "
          + (chap ? "in clear for CHAP" : "hashed, PAP only") + ")");
      return 0;
    }
  }

  @Command(name = "list", description = "List subscribers by username.", mixinStandardHelpOptions = true)
  static final class ListSubscribers implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Option(names = "--after", paramLabel = "USER", description = "start after this username (paging)")
    String after;

    @Option(names = "--limit", defaultValue = "1000", description = "at most this many (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = store.open()) {
        List<Subscriber> list = new JdbcSubscriberStore(db).subscribers(after, limit);
        out.printf("%-32s %-20s %-8s %-5s %s%n", "USER", "PLAN", "ENABLED", "CHAP", "DATA-CAP");
        for (Subscriber s : list) {
          out.printf("%-32s %-20s %-8s %-5s %s%n", s.username(), s.plan(), s.enabled() ? "yes" : "no",
              s.chapCapable() ? "yes" : "no", s.dataCapBytes() == 0 ? "-" : Sizes.format(s.dataCapBytes()));
        }
      }
      return 0;
    }
  }

  @Command(name = "show", description = "Show a subscriber, its plan, usage and sessions.",
      mixinStandardHelpOptions = true)
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin StoreOptions store;

    @Parameters(index = "0", paramLabel = "USER") String username;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (Database db = store.open()) {
        JdbcSubscriberStore st = new JdbcSubscriberStore(db);
        var found = st.subscriber(username);
        if (found.isEmpty()) {
          spec.commandLine().getErr().println("no subscriber " + username);
          return 1;
        }
        Subscriber s = found.get();
        out.println("user:             " + s.username());
        out.println("enabled:          " + (s.enabled() ? "yes" : "no"));
        out.println("password:         " + (s.chapCapable() ? "cleartext (CHAP)" : "hashed (PAP only)"));
        out.println("data-cap:         " + (s.dataCapBytes() == 0 ? "none" : Sizes.format(s.dataCapBytes())));
        if (s.framedIpv6Prefix() != null) out.println("framed-ipv6:      " + s.framedIpv6Prefix());
        if (s.delegatedIpv6Prefix() != null) out.println("delegated-ipv6:   " + s.delegatedIpv6Prefix());
        st.plan(s.plan()).ifPresent(p -> PlanCommand.print(out, p));
        SessionLookup sessions = new SessionLookup(db);
        for (SessionLookup.PeriodUsage u : sessions.periods(username, 3)) {
          out.println("usage " + u.periodStart() + ": in " + Sizes.format(u.inputOctets()) + ", out "
              + Sizes.format(u.outputOctets()));
        }
        for (SessionLookup.Session x : sessions.recent(username, 5)) {
          out.println("session " + x.sessionId() + " on " + x.nas() + " since " + x.started()
              + (x.stopped() == null ? " (open)" : " stopped " + x.stopped() + " (" + x.stopCause() + ")"));
        }
      }
      return 0;
    }
  }
}
