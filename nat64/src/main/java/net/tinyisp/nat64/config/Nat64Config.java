package net.tinyisp.nat64.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.nat64.wire.Pool6;

/**
 * The NAT64 gateway's configuration; option names follow Jool (pool6, pool4 with per-protocol ranges).
 *
 * @param pool6 the RFC 6052 prefix, any of the lengths 32..96
 * @param pool4 public IPv4 addresses with their port / identifier ranges
 * @param timers session lifetimes (RFC 6146 §4)
 * @param maxSessionsPerSource how many BIB entries one IPv6 source address may hold per protocol
 * @param filtering endpoint-independent (default) or address-dependent filtering, RFC 6146 §3.5.1
 * @param allowWkpNonGlobal allow 64:ff9b::/96 with non-global IPv4 addresses (test labs only; RFC 6052 §3.1)
 * @param staticBib port forwards
 * @param tun TUN device name
 * @param setup create the TUN device, its routes and enable forwarding at start
 * @param queues TUN queues, one platform thread each (IFF_MULTI_QUEUE when more than one)
 * @param offload use the TUN's virtio-net header offloads (TSO/checksum) so one read carries up to 64 KB
 * @param lowestIpv6Mtu the IPv6 MTU assumed when fragmenting translated IPv4 packets, RFC 7915 §4 (>= 1280)
 * @param rxCoalesceUsecs during a small-UDP flood (a read batch that joined datagrams of one flow), wait this long
 *     before reading again so packets gather into larger batches and USO super-packets (ethtool's rx-usecs); 0
 *     never waits
 */
public record Nat64Config(
    @JsonProperty("pool6") String pool6,
    @JsonProperty("pool4") List<Pool4Entry> pool4,
    @JsonProperty("timers") Timers timers,
    @JsonProperty("max-sessions-per-source") Integer maxSessionsPerSource,
    @JsonProperty("filtering") Filtering filtering,
    @JsonProperty("allow-wkp-non-global") Boolean allowWkpNonGlobal,
    @JsonProperty("static-bib") List<StaticBibEntry> staticBib,
    @JsonProperty("tun") String tun,
    @JsonProperty("setup") Boolean setup,
    @JsonProperty("queues") Integer queues,
    @JsonProperty("offload") Boolean offload,
    @JsonProperty("lowest-ipv6-mtu") Integer lowestIpv6Mtu,
    @JsonProperty("rx-coalesce-usecs") Integer rxCoalesceUsecs) {

  public enum Filtering {
    ENDPOINT_INDEPENDENT,
    ADDRESS_DEPENDENT
  }

  /** Measured in docs/bench/nat64.md: fewer wake-ups per packet with no cost on an idle path. */
  public static final int DEFAULT_RX_COALESCE_USECS = 250;

  public Nat64Config {
    if (pool6 == null) pool6 = "64:ff9b::/96";
    if (pool4 == null || pool4.isEmpty()) {
      throw new IllegalArgumentException("pool4 needs at least one IPv4 address, e.g. pool4: [{address: 203.0.113.5}]");
    }
    pool4 = List.copyOf(pool4);
    timers = timers == null ? Timers.DEFAULTS : timers;
    maxSessionsPerSource = maxSessionsPerSource == null ? 4096 : maxSessionsPerSource;
    if (maxSessionsPerSource < 1) {
      throw new IllegalArgumentException("max-sessions-per-source must be at least 1");
    }
    filtering = filtering == null ? Filtering.ENDPOINT_INDEPENDENT : filtering;
    allowWkpNonGlobal = allowWkpNonGlobal != null && allowWkpNonGlobal;
    staticBib = staticBib == null ? List.of() : List.copyOf(staticBib);
    tun = tun == null ? "nat64" : tun;
    if (tun.isEmpty() || tun.length() > 15 || !tun.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("tun '" + tun + "' must be 1..15 characters of [A-Za-z0-9_.-]");
    }
    setup = setup != null && setup;
    queues = queues == null ? 1 : queues;
    if (queues < 1 || queues > 16) {
      throw new IllegalArgumentException("queues must be 1..16");
    }
    offload = offload == null || offload;
    lowestIpv6Mtu = lowestIpv6Mtu == null ? 1280 : lowestIpv6Mtu;
    if (lowestIpv6Mtu < 1280 || lowestIpv6Mtu > 65535) {
      throw new IllegalArgumentException("lowest-ipv6-mtu must be 1280..65535 (RFC 8200 §5)");
    }
    rxCoalesceUsecs = rxCoalesceUsecs == null ? DEFAULT_RX_COALESCE_USECS : rxCoalesceUsecs;
    if (rxCoalesceUsecs < 0 || rxCoalesceUsecs > 10_000) {
      throw new IllegalArgumentException("rx-coalesce-usecs must be 0..10000 (microseconds)");
    }
    Pool6 p6 = new Pool6(IpPrefix.parse(pool6));
    Set<Integer> addrs = new HashSet<>();
    for (Pool4Entry e : pool4) {
      if (!addrs.add(e.addressBits())) {
        throw new IllegalArgumentException("pool4 address " + e.address() + " is listed twice");
      }
      // RFC 6052 §3.1: the WKP must not carry non-global IPv4; a pool4 in test/private space means the IPv4 side is
      // not the global Internet either.
      if (p6.isWellKnown() && !allowWkpNonGlobal && !GlobalIpv4.isGlobal(e.addressBits())) {
        throw new IllegalArgumentException("pool6 64:ff9b::/96 (the Well-Known Prefix) must not be used with the"
            + " non-global IPv4 address " + e.address() + " (RFC 6052 §3.1); use a network-specific prefix or set"
            + " allow-wkp-non-global: true");
      }
    }
    for (StaticBibEntry s : staticBib) {
      byte[] a = s.v4Address();
      int bits = (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | a[3] & 0xff;
      if (!addrs.contains(bits)) {
        throw new IllegalArgumentException("static BIB entry '" + s + "': " + s.ipv4() + " is not a pool4 address");
      }
    }
  }

  public Pool6 pool6Prefix() {
    return new Pool6(IpPrefix.parse(pool6));
  }

  /** A config with defaults, for tests and the CLI. */
  public static Nat64Config of(String pool6, List<Pool4Entry> pool4) {
    return new Nat64Config(pool6, pool4, null, null, null, null, null, null, null, null, null, null, null);
  }

  public Nat64Config withAllowWkpNonGlobal(boolean allow) {
    return new Nat64Config(pool6, pool4, timers, maxSessionsPerSource, filtering, allow, staticBib, tun, setup, queues,
        offload, lowestIpv6Mtu, rxCoalesceUsecs);
  }
}
