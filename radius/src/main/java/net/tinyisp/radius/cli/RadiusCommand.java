package net.tinyisp.radius.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.AccountingSink;
import net.tinyisp.radius.server.AppendOnlyFileSink;
import net.tinyisp.radius.server.AuthBackend;
import net.tinyisp.radius.server.RadiusServer;
import net.tinyisp.radius.server.RadiusServerConfig;
import net.tinyisp.radius.server.UsersFileBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinyisp radius}: runs the RADIUS server alone. Users come from a FreeRADIUS users file and accounting
 * goes to an fsynced append-only file here; the subscribers module extends this command with {@code --store}
 * by overriding {@link #backend} and {@link #sink}, and registers its subcommands on it.
 */
@Command(name = "radius", mixinStandardHelpOptions = true,
    description = "Run the RADIUS server (RFC 2865/2866, Status-Server, BlastRADIUS-safe).")
public class RadiusCommand implements Callable<Integer> {

  @Option(names = "--auth", paramLabel = "ADDR:PORT", defaultValue = "127.0.0.1:1812",
      description = "Authentication listener (default ${DEFAULT-VALUE}); empty to disable.")
  String auth;

  @Option(names = "--acct", paramLabel = "ADDR:PORT", defaultValue = "127.0.0.1:1813",
      description = "Accounting listener (default ${DEFAULT-VALUE}); empty to disable.")
  String acct;

  @Option(names = "--client", paramLabel = "PREFIX=SECRET", required = true,
      description = "A NAS address or subnet and its secret; repeat for more. Append ',no-message-authenticator'"
          + " to accept Access-Requests without Message-Authenticator from an old NAS (not recommended).")
  List<String> clients = new ArrayList<>();

  @Option(names = "--users", paramLabel = "FILE", description = "FreeRADIUS users file to authenticate against.")
  Path users;

  @Option(names = "--dictionary", paramLabel = "FILE",
      description = "Extra FreeRADIUS-format dictionary files, added to the shipped set; repeatable.")
  List<Path> dictionaries = new ArrayList<>();

  @Option(names = "--accounting-file", paramLabel = "FILE",
      description = "Append-only, fsynced accounting file (one JSON object per line).")
  Path accountingFile;

  @Option(names = "--receive-buffer", paramLabel = "BYTES", defaultValue = "8388608",
      description = "Socket receive buffer per listener (default ${DEFAULT-VALUE}; capped by net.core.rmem_max).")
  int receiveBuffer;

  @Option(names = "--receive-threads", paramLabel = "N",
      description = "Sockets (SO_REUSEPORT) and receive threads per listener; default min(4, cores).")
  Integer receiveThreads;

  private final CountDownLatch stopped = new CountDownLatch(1);

  public static void main(String[] args) {
    System.exit(new CommandLine(new RadiusCommand()).execute(args));
  }

  /** The server settings the flags describe; the app may wire them itself (admin, shared metrics). */
  public RadiusServerConfig config() {
    List<RadiusServerConfig.Client> cs = new ArrayList<>();
    for (String c : clients) {
      int eq = c.indexOf('=');
      if (eq <= 0) throw new ConfigException("--client '" + c + "': expected PREFIX=SECRET, e.g. 127.0.0.1=testing123");
      String secret = c.substring(eq + 1);
      Boolean requireMa = null;
      if (secret.endsWith(",no-message-authenticator")) {
        secret = secret.substring(0, secret.length() - ",no-message-authenticator".length());
        requireMa = false;
      }
      try {
        cs.add(new RadiusServerConfig.Client(c.substring(0, eq), secret, requireMa, null));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--client '" + c.substring(0, eq) + "=...': " + e.getMessage());
      }
    }
    try {
      return new RadiusServerConfig(auth, acct, cs, dictionaries.stream().map(Path::toString).toList(),
          receiveBuffer, null, null, receiveThreads);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** Where users come from; the subscribers module overrides this for {@code --store}. */
  protected AuthBackend backend(Dictionary dictionary) {
    if (users == null) throw new ConfigException("--users FILE is required (or --store with the subscribers module)");
    return UsersFileBackend.load(users, dictionary);
  }

  /** Where accounting goes; the subscribers module overrides this for {@code --store}. */
  protected AccountingSink sink() throws Exception {
    if (accountingFile == null) throw new ConfigException("--accounting-file FILE is required");
    return new AppendOnlyFileSink(accountingFile);
  }

  @Override
  public Integer call() throws Exception {
    RadiusServerConfig cfg;
    Dictionary dictionary;
    AuthBackend backend;
    AccountingSink sink;
    try {
      cfg = config();
      dictionary = Dictionary.standardPlus(dictionaries);
      backend = backend(dictionary);
      sink = sink();
    } catch (ConfigException e) {
      System.err.println("tinyisp radius: " + e.getMessage());
      return 2;
    }
    RadiusServer server = new RadiusServer(cfg, dictionary, backend, sink, new Metrics());
    try {
      server.start();
    } catch (Exception e) {
      System.err.println("tinyisp radius: " + e.getMessage());
      if (sink instanceof AutoCloseable a) a.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (sink instanceof AutoCloseable a) {
        try {
          a.close();
        } catch (Exception ignored) {
          // exiting
        }
      }
      stopped.countDown();
    }));
    System.out.println("tinyisp radius: ready, auth " + server.authAddress() + ", acct " + server.acctAddress());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
