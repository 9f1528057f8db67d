package net.tinyisp.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.tinyisp.app.TinyispConfig;
import net.tinyisp.app.Wiring;
import net.tinyisp.dns.config.Dns64Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import net.tinyisp.dns.cli.EncryptedDnsOptions;

/**
 * {@code tinyisp dns64}: the DNS64 resolver alone, from flags named after bind's {@code dns64} options. The same
 * settings go under {@code dns64:} in the YAML file for {@code tinyisp run}.
 */
@Command(name = "dns64", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the DNS64 resolver (RFC 6147) alone.",
        "ACLs take bind's syntax, e.g. --mapped '!10/8; any;'."})
public final class Dns64Command implements Callable<Integer> {
  @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "UDP+TCP listen address, repeatable (default 127.0.0.1:5353 and [::1]:5353)")
  List<String> listen = new ArrayList<>();

  @Option(names = "--upstream", paramLabel = "ADDR[:PORT]", description = "upstream resolver, repeatable (default: nameservers in /etc/resolv.conf)")
  List<String> upstreams = new ArrayList<>();

  @Option(names = "--prefix", paramLabel = "PREFIX", description = "NAT64 prefix (RFC 6052 length 32/40/48/56/64/96), repeatable (default 64:ff9b::/96)")
  List<String> prefixes = new ArrayList<>();

  @Option(names = "--clients", paramLabel = "ACL", description = "clients that get synthesis (default 'any;')")
  String clients;

  @Option(names = "--mapped", paramLabel = "ACL", description = "IPv4 addresses that may be mapped (default 'any;')")
  String mapped;

  @Option(names = "--exclude", paramLabel = "ACL", description = "AAAA treated as absent (default '::ffff:0:0/96;')")
  String exclude;

  @Option(names = "--suffix", paramLabel = "ADDR", description = "bits after the embedded IPv4 address (default ::)")
  String suffix;

  @Option(names = "--break-dnssec", description = "synthesize even when the answer is signed and DO=1")
  boolean breakDnssec;

  @Option(names = "--allow-query", paramLabel = "ACL", description = "who may query at all (default: loopback only)")
  String allowQuery;

  @Option(names = "--io-threads", paramLabel = "N", description = "UDP/TCP receive threads (default: half the cores, at least 1)")
  Integer ioThreads;

  @Option(names = "--udp-io", paramLabel = "native|netty",
      description = "UDP front end: 'native' (recvmmsg/sendmmsg on platform threads, Linux) or 'netty' (default native on Linux)")
  String udpIo;

  @Option(names = "--udp-busy-poll-usecs", paramLabel = "USECS",
      description = "under heavy load, spin this long on the UDP socket before sleeping; 0 = off (default 50)")
  Integer udpBusyPollUsecs;

  @Option(names = "--xdp-interface", paramLabel = "IFACE",
      description = "also answer UDP queries to the listen addresses arriving on IFACE through AF_XDP (needs root or CAP_BPF+CAP_NET_ADMIN)")
  String xdpInterface;

  @Option(names = "--xdp-queues", paramLabel = "N", description = "AF_XDP sockets, one per receive queue 0..N-1 of --xdp-interface (default 1)")
  Integer xdpQueues;

  @Option(names = "--xdp-mode", paramLabel = "driver|generic",
      description = "XDP attach mode: 'driver' (native, default) or 'generic' (any interface, slower)")
  String xdpMode;

  @Option(names = "--admin", paramLabel = "ADDR:PORT", description = "admin/metrics listener (default 127.0.0.1:9053; 'off' to disable)")
  String admin;

  @Mixin EncryptedDnsOptions encrypted = new EncryptedDnsOptions();

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "where the self-signed certificate goes when DoT/DoH run without --cert (default ${DEFAULT-VALUE})")
  String dataDir;

  @Override
  public Integer call() throws Exception {
    Dns64Config dns = Dns64Config.fromFlags(listen, upstreams, prefixes, clients, mapped, exclude, suffix, breakDnssec, allowQuery)
        .withIo(ioThreads, udpIo, udpBusyPollUsecs).withXdp(xdpInterface, xdpQueues, xdpMode);
    return RunCommand.serve(Wiring.build(TinyispConfig.adminOnly(AdminFlag.config(admin))
        .withDns64(dns, encrypted.config(dataDir))));
  }
}
