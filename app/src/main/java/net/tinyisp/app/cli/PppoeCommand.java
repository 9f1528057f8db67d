package net.tinyisp.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.tinyisp.app.TinyispConfig;
import net.tinyisp.app.Wiring;
import net.tinyisp.pppoe.io.PppoeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyisp pppoe}: the PPPoE access concentrator alone; the same keys go under {@code pppoe:} in the YAML. */
@Command(name = "pppoe", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run the PPPoE access concentrator (RFC 2516) on an Ethernet interface, IPv6-only, RADIUS-authenticated.",
    subcommands = {PppoeSessionsCommand.class, PppoeTerminateCommand.class})
public final class PppoeCommand implements Callable<Integer> {
  @Option(names = "--interface", required = true, paramLabel = "IF", description = "subscriber-facing Ethernet interface")
  String iface;

  @Option(names = "--ac-name", paramLabel = "NAME", description = "AC-Name tag (default tinyisp)")
  String acName;

  @Option(names = "--service-name", paramLabel = "S", description = "service offered, repeatable (default: any)")
  List<String> serviceNames = new ArrayList<>();

  @Option(names = "--radius", required = true, paramLabel = "HOST:PORT", description = "RADIUS authentication server, repeatable")
  List<String> radius = new ArrayList<>();

  @Option(names = "--radius-accounting", paramLabel = "HOST:PORT", description = "accounting server, repeatable (default: auth port + 1)")
  List<String> radiusAccounting = new ArrayList<>();

  @Option(names = "--radius-secret", required = true, paramLabel = "SECRET", description = "RADIUS shared secret")
  String radiusSecret;

  @Option(names = "--prefix-pool", required = true, paramLabel = "PREFIX", description = "pool of delegated prefixes, e.g. 2001:db8:100::/40")
  String prefixPool;

  @Option(names = "--pd-length", paramLabel = "N", description = "delegated prefix length (default 48)")
  Integer pdLength;

  @Option(names = "--link-pool", paramLabel = "PREFIX", description = "pool of link /64s (default: the first /pd-length of the prefix pool)")
  String linkPool;

  @Option(names = "--dns", paramLabel = "ADDR", description = "resolver announced by RDNSS and DHCPv6, repeatable")
  List<String> dns = new ArrayList<>();

  @Option(names = "--pref64", paramLabel = "PREFIX", description = "NAT64 prefix announced in RAs (RFC 8781), e.g. 64:ff9b::/96")
  String pref64;

  @Option(names = "--auth", paramLabel = "chap|pap", description = "authentication methods in order (default chap, pap)")
  List<String> auth = new ArrayList<>();

  @Option(names = "--tun", paramLabel = "NAME", description = "TUN device toward the core (default pppoe0)")
  String tun;

  @Option(names = "--no-setup", description = "do not bring up the TUN and add routes for the pools")
  boolean noSetup;

  @Option(names = "--admin", paramLabel = "ADDR:PORT", description = "admin listener (default 127.0.0.1:9053; 'off' to disable)")
  String admin;

  @Override
  public Integer call() throws Exception {
    PppoeConfig cfg = new PppoeConfig(iface, acName, serviceNames, null, auth.isEmpty() ? null : auth, null, null, radius,
        radiusAccounting.isEmpty() ? null : radiusAccounting, radiusSecret, null, prefixPool, pdLength, linkPool, dns, pref64,
        tun, !noSetup, null, null);
    return RunCommand.serve(Wiring.build(TinyispConfig.adminOnly(AdminFlag.config(admin)).withPppoe(cfg)));
  }
}
