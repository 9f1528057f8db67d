package net.tinyisp.nat64.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.nat64.Nat64Service;
import net.tinyisp.nat64.Nat64View;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.config.Pool4Entry;
import net.tinyisp.nat64.config.PortRange;
import net.tinyisp.nat64.config.StaticBibEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyisp nat64 --pool6 64:ff9b::/96 --pool4 203.0.113.5 --tcp-ports 61000-65535 ... [--tun nat64] [--setup]}
 * runs the gateway in the foreground until SIGTERM/SIGINT. {@code tinyisp nat64 bib add|remove|list} talk to a
 * running gateway through the {@link Nat64View} the application supplies (the admin API client).
 */
@Command(name = "nat64", mixinStandardHelpOptions = true, subcommands = Nat64Command.Bib.class,
    description = "Stateful NAT64 (RFC 6146, RFC 7915) on a TUN device.")
public final class Nat64Command implements Callable<Integer> {
  private final Supplier<Nat64View> remote;

  @Option(names = "--pool6", defaultValue = "64:ff9b::/96", description = "RFC 6052 prefix (/32../96), default ${DEFAULT-VALUE}")
  String pool6;

  @Option(names = "--pool4", split = ",", description = "pool4 IPv4 address(es), required to run")
  List<String> pool4 = new ArrayList<>();

  @Option(names = "--tcp-ports", description = "TCP port range per pool4 address, default 61000-65535")
  String tcpPorts;

  @Option(names = "--udp-ports", description = "UDP port range per pool4 address, default 61000-65535")
  String udpPorts;

  @Option(names = "--icmp-ids", description = "ICMP identifier range per pool4 address, default 61000-65535")
  String icmpIds;

  @Option(names = "--tun", defaultValue = "nat64", description = "TUN device name, default ${DEFAULT-VALUE}")
  String tun;

  @Option(names = "--setup", description = "create the TUN device's routes and enable forwarding")
  boolean setup;

  @Option(names = "--queues", defaultValue = "1", description = "TUN queues, one thread each")
  int queues;

  @Option(names = "--no-offload", description = "do not use TSO/USO super-packets on the TUN device")
  boolean noOffload;

  @Option(names = "--rx-coalesce-usecs", description = "during a small-UDP flood, wait this long between read"
      + " batches so packets gather (0: never), default " + Nat64Config.DEFAULT_RX_COALESCE_USECS)
  Integer rxCoalesceUsecs;

  @Option(names = "--allow-wkp-non-global", description = "allow 64:ff9b::/96 with non-global IPv4 (labs only)")
  boolean allowWkpNonGlobal;

  @Option(names = "--filtering", description = "ENDPOINT_INDEPENDENT (default) or ADDRESS_DEPENDENT")
  Nat64Config.Filtering filtering;

  @Option(names = "--max-sessions-per-source", description = "BIB entries per IPv6 source and protocol")
  Integer maxPerSource;

  @Option(names = "--static-bib", description = "port forward, e.g. 'tcp 2001:db8::10#80 203.0.113.5#8080'")
  List<String> staticBib = new ArrayList<>();

  private final java.util.function.Function<Nat64Config, Integer> runner;

  public Nat64Command() {
    this(null, null);
  }

  /** {@code remote}: how {@code bib} subcommands reach a running gateway (null: not wired). */
  public Nat64Command(Supplier<Nat64View> remote) {
    this(remote, null);
  }

  /** {@code runner}: how the distribution runs the gateway (admin listener, shared metrics); null = alone. */
  public Nat64Command(Supplier<Nat64View> remote, java.util.function.Function<Nat64Config, Integer> runner) {
    this.remote = remote;
    this.runner = runner;
  }

  Nat64Config config() {
    List<Pool4Entry> entries = new ArrayList<>();
    for (String a : pool4) {
      entries.add(new Pool4Entry(a.strip(), range(tcpPorts), range(udpPorts), range(icmpIds)));
    }
    List<StaticBibEntry> st = staticBib.stream().map(StaticBibEntry::parse).toList();
    return new Nat64Config(pool6, entries, null, maxPerSource, filtering, allowWkpNonGlobal, st, tun, setup, queues,
        !noOffload, null, rxCoalesceUsecs);
  }

  private static PortRange range(String s) {
    return s == null ? null : PortRange.parse(s);
  }

  @Override
  public Integer call() throws Exception {
    Nat64Config cfg;
    if (pool4.isEmpty()) {
      System.err.println("nat64: --pool4 is required, e.g. --pool4 203.0.113.5");
      return 64;
    }
    try {
      cfg = config();
    } catch (IllegalArgumentException e) {
      System.err.println("nat64: " + e.getMessage());
      return 64;
    }
    if (runner != null) return runner.apply(cfg);
    Nat64Service service = new Nat64Service(cfg, new Metrics());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      stopped.countDown();
    }));
    service.start();
    System.out.println("nat64: translating " + cfg.pool6() + " <-> " + pool4 + " on " + service.device()
        + (cfg.offload() ? " (TSO/USO offload)" : ""));
    stopped.await();
    return 0;
  }

  @Command(name = "bib", mixinStandardHelpOptions = true, description = "Show or change the BIB of a running gateway.")
  static final class Bib implements Callable<Integer> {
    @CommandLine.ParentCommand Nat64Command parent;

    @Parameters(index = "0", description = "add, remove or list")
    String action;

    @Parameters(index = "1..*", arity = "0..*", description = "PROTOCOL V6ADDR#PORT V4ADDR#PORT (add/remove) or PROTOCOL (list)")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      StaticBibEntry entry = null;
      try {
        if (action.equals("add") || action.equals("remove")) {
          entry = StaticBibEntry.parse(String.join(" ", args));
        } else if (!action.equals("list")) {
          System.err.println("nat64 bib: action must be add, remove or list");
          return 64;
        }
      } catch (IllegalArgumentException e) {
        System.err.println("nat64 bib: " + e.getMessage());
        return 64;
      }
      if (parent.remote == null) {
        System.err.println("nat64 bib: no running gateway reachable from this command; put the entry in the"
            + " config (static-bib: ['" + entry + "']) or use the admin API");
        return 69;
      }
      Nat64View view = parent.remote.get();
      switch (action) {
        case "add" -> {
          if (!view.addStatic(entry)) {
            System.err.println("nat64 bib: " + entry + " conflicts with an existing binding");
            return 1;
          }
        }
        case "remove" -> {
          if (!view.removeStatic(entry)) {
            System.err.println("nat64 bib: no static binding " + entry);
            return 1;
          }
        }
        default -> {
          String proto = args.isEmpty() ? "tcp" : args.getFirst();
          for (Nat64View.BibRow r : view.bib(proto)) {
            System.out.println(r.protocol() + " " + r.ipv6() + " " + r.ipv4() + (r.isStatic() ? " static" : "")
                + " sessions=" + r.sessions());
          }
        }
      }
      return 0;
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Nat64Command()).execute(args));
  }
}
