package net.tinyisp.subscribers.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.radius.cli.RadiusCommand;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.AccountingRecord;
import net.tinyisp.radius.server.AccountingSink;
import net.tinyisp.radius.server.AuthBackend;
import net.tinyisp.subscribers.SubscribersConfig;
import net.tinyisp.subscribers.SubscribersService;
import net.tinyisp.subscribers.caps.NasSecret;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tinyisp radius [--store JDBC-URL | --data-dir DIR] ...}: the radius module's server command with the
 * subscriber store as its backend and accounting sink (unless {@code --users} / {@code --accounting-file} are
 * given), plus the store's admin subcommands. NAS secrets from {@code --client} sign CoA/Disconnect-Requests.
 */
@Command(name = "radius", mixinStandardHelpOptions = true,
    description = "Run the RADIUS server on the subscriber store, or administer the store.",
    subcommands = {SubscriberCommand.class, PlanCommand.class, ImportCommand.class, CoaCommand.class,
        CoaCommand.Disconnect.class},
    modelTransformer = RadiusStoreCommand.ClientsOptionalForSubcommands.class)
public class RadiusStoreCommand extends RadiusCommand {

  /**
   * The server command requires {@code --client}; picocli checks a parent's required options even when a
   * subcommand runs, which would make {@code tinyisp radius plan list} ask for a NAS. The requirement moves to the
   * moment the server starts ({@link #backend}).
   */
  static final class ClientsOptionalForSubcommands implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      OptionSpec client = spec.findOption("--client");
      if (client != null && client.required()) {
        spec.remove(client);
        spec.addOption(client.toBuilder().required(false).build());
      }
      return spec;
    }
  }

  @Spec CommandSpec spec;

  @Option(names = "--store", paramLabel = "JDBC-URL",
      description = "jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB?user=...; default: SQLite under --data-dir")
  String store;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "where the embedded SQLite store lives (default: ${DEFAULT-VALUE})")
  Path dataDir;

  private SubscribersService service;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RadiusStoreCommand()).execute(args));
  }

  private <T> T option(String name) {
    return spec.findOption(name).getValue();
  }

  private synchronized SubscribersService service(Dictionary dictionary) throws Exception {
    if (service != null) return service;
    List<String> clientArgs = option("--client");
    List<NasSecret> secrets = new ArrayList<>();
    for (String c : clientArgs == null ? List.<String>of() : clientArgs) {
      try {
        secrets.add(NasSecret.parse(c.replaceFirst(",no-message-authenticator$", "")));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--client '" + c.replaceFirst("=.*", "=...") + "': " + e.getMessage());
      }
    }
    SubscribersConfig cfg;
    try {
      cfg = new SubscribersConfig(store, dataDir.toString(), null, null, null, null, null, null);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--store: " + e.getMessage());
    }
    SubscribersService s = new SubscribersService(cfg, dictionary, nas -> NasSecret.lookup(secrets, nas),
        new Metrics());
    s.start();
    service = s;
    return s;
  }

  private Dictionary dictionary() {
    List<Path> extra = option("--dictionary");
    return Dictionary.standardPlus(extra == null ? List.of() : extra);
  }

  @Override
  protected AuthBackend backend(Dictionary dictionary) {
    List<String> clients = option("--client");
    if (clients == null || clients.isEmpty()) {
      throw new ConfigException("--client PREFIX=SECRET is required to run the server");
    }
    if (option("--users") != null) return super.backend(dictionary);
    try {
      return service(dictionary).authBackend();
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException("subscriber store: " + e.getMessage());
    }
  }

  @Override
  protected AccountingSink sink() throws Exception {
    if (option("--accounting-file") != null) return super.sink();
    SubscribersService s = service(dictionary());
    return new ServiceSink(s);
  }

  /** The store's sink; closing it (the server's shutdown hook does) closes the whole store. */
  private record ServiceSink(SubscribersService service) implements AccountingSink, AutoCloseable {
    @Override
    public void record(AccountingRecord r) throws Exception {
      service.accountingSink().record(r);
    }

    @Override
    public void close() {
      service.close();
    }
  }
}
