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
    subcommands = {PppoeSessionsCommand.class, PppoeTerminateCommand.class, PppoeSetRateCommand.class,
        PppoeResetCountersCommand.class})
public final class PppoeCommand implements Callable<Integer> {
  @Option(names = "--interface", paramLabel = "IF", description = "subscriber-facing Ethernet interface")
  String iface;

  @Option(names = "--ac-name", paramLabel = "NAME", description = "AC-Name tag (default tinyisp)")
  String acName;

  @Option(names = "--service-name", paramLabel = "S", description = "service offered, repeatable (default: any)")
  List<String> serviceNames = new ArrayList<>();

  @Option(names = "--radius", paramLabel = "HOST:PORT", description = "RADIUS authentication server, repeatable")
  List<String> radius = new ArrayList<>();

  @Option(names = "--radius-accounting", paramLabel = "HOST:PORT", description = "accounting server, repeatable (default: auth port + 1)")
  List<String> radiusAccounting = new ArrayList<>();

  @Option(names = "--radius-secret", paramLabel = "SECRET", description = "RADIUS shared secret")
  String radiusSecret;

  @Option(names = "--prefix-pool", paramLabel = "PREFIX", description = "pool of delegated prefixes, e.g. 2001:db8:100::/40")
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

  @Option(names = "--lcp-echo-interval", paramLabel = "SECONDS", description = "LCP echo period for dead-peer detection (default 20; 0 = off)")
  Integer lcpEchoInterval;

  @Option(names = "--lcp-echo-failure", paramLabel = "N", description = "unanswered echoes that end a session (default 3)")
  Integer lcpEchoFailure;

  @Option(names = "--coa-listen", paramLabel = "ADDR:PORT", description = "RFC 5176 CoA/Disconnect listener (default 0.0.0.0:3799; 'off')")
  String coaListen;

  @Option(names = "--counter-reset", paramLabel = "CRON", description = "reset counters without dropping sessions, e.g. '0 0 1 * *' (monthly)")
  String counterReset;

  @Option(names = "--tun", paramLabel = "NAME", description = "TUN device toward the core (default pppoe0)")
  String tun;

  @Option(names = "--no-setup", description = "do not bring up the TUN and add routes for the pools")
  boolean noSetup;

  @Option(names = "--max-sessions", paramLabel = "N", description = "PADRs beyond get AC-System-Error (default 10000)")
  Integer maxSessions;

  @Option(names = "--padi-per-second", paramLabel = "N", description = "global PADI rate limit (default 1000)")
  Double padiPerSecond;

  @Option(names = "--padi-per-mac-per-second", paramLabel = "N", description = "PADI rate limit per source MAC (default 5)")
  Double padiPerMacPerSecond;

  @Option(names = "--ipcp", description = "dual-stack: negotiate IPCP (RFC 1332) instead of Protocol-Rejecting it; needs --ipv4-pool")
  boolean ipcp;

  @Option(names = "--ipv4-pool", paramLabel = "PREFIX", description = "IPv4 addresses for IPCP, e.g. 198.51.100.0/24 (the first host is ours)")
  String ipv4Pool;

  @Option(names = "--ipv4-dns", paramLabel = "ADDR", description = "IPv4 resolver offered by IPCP (RFC 1877), at most two")
  List<String> ipv4Dns = new ArrayList<>();

  @Option(names = "--uplink-down", paramLabel = "RATE",
      description = "downstream capacity (e.g. 1G): every session becomes a class of one hierarchy that borrows idle capacity"
          + " up to its ceiling (Mikrotik-Rate-Limit max-limit); without it each session has its own tbf")
  String uplinkDown;

  @Option(names = "--admin", paramLabel = "ADDR:PORT", description = "admin listener (default 127.0.0.1:9053; 'off' to disable)")
  String admin;

  @Override
  public Integer call() throws Exception {
    // checked here rather than by picocli, so that `tinyisp pppoe sessions` needs none of them
    if (iface == null || radius.isEmpty() || radiusSecret == null || prefixPool == null) {
      throw new IllegalArgumentException("tinyisp pppoe needs --interface, --radius, --radius-secret and --prefix-pool");
    }
    PppoeConfig cfg = new PppoeConfig(iface, acName, serviceNames, maxSessions, auth.isEmpty() ? null : auth, lcpEchoInterval, lcpEchoFailure, radius,
        radiusAccounting.isEmpty() ? null : radiusAccounting, radiusSecret, null, prefixPool, pdLength, linkPool, dns, pref64,
        tun, !noSetup, padiPerMacPerSecond, padiPerSecond, coaListen, counterReset, ipcp, ipv4Pool, ipv4Dns, uplinkDown);
    return RunCommand.serve(Wiring.build(TinyispConfig.adminOnly(AdminFlag.config(admin)).withPppoe(cfg)));
  }
}
