package net.tinyisp.subscribers.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.UsersFile;
import net.tinyisp.subscribers.store.Database;
import net.tinyisp.subscribers.store.JdbcSubscriberStore;
import net.tinyisp.subscribers.store.UsersFileImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tinyisp radius import FILE}: a FreeRADIUS users file into the store, in one step. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import a FreeRADIUS users file: entries become subscribers, their reply items plans.",
        "Cleartext-Password is hashed (PAP only) unless --keep-cleartext (CHAP needs the cleartext)."})
public final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin StoreOptions store;

  @Parameters(index = "0", paramLabel = "FILE") Path file;

  @Option(names = "--keep-cleartext", description = "store passwords in clear so CHAP keeps working")
  boolean keepCleartext;

  @Option(names = "--dictionary", paramLabel = "FILE",
      description = "FreeRADIUS dictionary file added to the shipped set, repeatable")
  List<Path> dictionaries = new ArrayList<>();

  @Option(names = "--iterations", defaultValue = "10000", description = "PBKDF2 iterations (default"
      + " ${DEFAULT-VALUE})")
  int iterations;

  @Override
  public Integer call() throws Exception {
    UsersFile users = UsersFile.parse(file, Dictionary.standardPlus(dictionaries));
    PrintWriter out = spec.commandLine().getOut();
    try (Database db = store.open()) {
      UsersFileImport.Result r = new UsersFileImport(new JdbcSubscriberStore(db), keepCleartext, iterations)
          .run(users);
      out.println("imported " + r.subscribers() + " subscribers into " + r.plans().size() + " plans: "
          + String.join(", ", r.plans()));
      for (String s : r.skipped()) spec.commandLine().getErr().println("skipped " + s);
    }
    return 0;
  }
}
