package net.tinyisp.nat64.steps;

import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.state.Nat64State;
import net.tinyisp.nat64.wire.Pool6;

/**
 * One packet's way through RFC 6146 §3.4-§3.8. One instance per worker thread (the steps keep scratch buffers);
 * the state tables behind {@link FilteringAndUpdating} are shared and locked.
 */
public final class Pipeline {
  private final Nat64State state;
  private final DetermineIncomingTuple determine;
  private final FilteringAndUpdating filtering;
  private final ComputeOutgoingTuple compute;
  private final TranslatingThePacket translate;
  private final HandlingHairpinning hairpin;
  private final FragmentReassembly reassembly;
  private final OriginatedIcmp icmp;
  private final Nat64Counters counters;

  public Pipeline(Nat64State state, Nat64Counters counters) {
    this.state = state;
    this.counters = counters;
    Nat64Config cfg = state.config();
    Pool6 pool6 = cfg.pool6Prefix();
    this.determine = new DetermineIncomingTuple(pool6, state.table(net.tinyisp.nat64.state.L4Protocol.TCP).ports());
    this.filtering = new FilteringAndUpdating(state, pool6);
    this.compute = new ComputeOutgoingTuple(pool6);
    this.translate = new TranslatingThePacket(cfg.lowestIpv6Mtu(), pool6);
    this.hairpin = new HandlingHairpinning(state::isPool4);
    this.reassembly = new FragmentReassembly(256, cfg.timers().fragment().toMillis());
    this.icmp = new OriginatedIcmp(pool6.embed(cfg.pool4().getFirst().addressBits()));
  }

  /** Translates the packet in {@code c} and hands the results to {@code sink}; returns the final verdict. */
  public Verdict process(PacketContext c, PacketSink sink) {
    Verdict v = determine.run(c);
    if (v == Verdict.CONSUMED && determine.fragment) {
      v = reassembly.add(c, determine.fragOffset, determine.moreFragments, state.nowMillis());
      if (v == Verdict.CONTINUE) {
        v = determine.run(c);
      }
    }
    if (v != Verdict.CONTINUE) return count(c, v);
    // RFC 7915 §4.1/§5.1: the translator forwards like a router; a packet that would leave with hop limit 0 is
    // answered with time exceeded (ICMP errors themselves are never answered, RFC 4443 §2.4 (e))
    if (c.hopLimit <= 1) {
      if (!c.icmpError) {
        if (c.fromV6) icmp.toV6(c, 3, 0, 0, sink);
        else icmp.toV4(c, 11, 0, 0, sink);
        counters.icmpSent();
      }
      return count(c, c.drop(DropReason.HOP_LIMIT_EXCEEDED));
    }
    v = filtering.run(c);
    if (v != Verdict.CONTINUE) {
      if (c.dropReason == DropReason.POOL4_EXHAUSTED || c.dropReason == DropReason.SOURCE_LIMIT) {
        // RFC 6146 §3.5.1.1 / §3.5.2.1: tell the host with destination unreachable, administratively prohibited
        icmp.toV6(c, 1, 1, 0, sink);
        counters.icmpSent();
      }
      return count(c, v);
    }
    compute.run(c);
    boolean fromV6 = c.fromV6;
    v = translate.run(c, sink);
    if (v == Verdict.CONSUMED) {
      counters.translated(fromV6);
      return v;
    }
    if (v != Verdict.CONTINUE) return count(c, v);
    counters.translated(fromV6);
    if (hairpin.isHairpin(c) && c.hairpinDepth == 0) {
      c.hairpinDepth = 1;
      c.bib = null;
      c.session = null;
      c.icmpError = false;
      return process(c, sink);
    }
    sink.emit(c.buf, c.off, c.len, c.gsoSize, c.partialChecksum);
    return Verdict.CONTINUE;
  }

  private Verdict count(PacketContext c, Verdict v) {
    if ((v == Verdict.DROP || v == Verdict.UNTRANSLATABLE) && c.dropReason != null) {
      counters.drop(c.dropReason);
    }
    return v;
  }

  /** Called by the worker about once a second: gives up on stale fragments. */
  public void tick() {
    int n = reassembly.expire(state.nowMillis());
    for (int i = 0; i < n; i++) counters.drop(DropReason.FRAGMENT_TIMEOUT);
  }
}
