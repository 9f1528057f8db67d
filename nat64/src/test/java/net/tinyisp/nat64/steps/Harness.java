package net.tinyisp.nat64.steps;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.state.Nat64State;

/** A pipeline over a fake clock whose sink collects copies of what it emits. */
final class Harness {
  final MutableClock clock = new MutableClock();
  final Nat64State state;
  final Nat64Counters counters = new Nat64Counters(new SimpleMeterRegistry());
  final Pipeline pipeline;
  final List<byte[]> out = new ArrayList<>();
  final PacketContext ctx = new PacketContext();
  final byte[] buf = new byte[PacketContext.HEADROOM + 70000];

  Harness(Nat64Config cfg) {
    state = new Nat64State(cfg, clock);
    pipeline = new Pipeline(state, counters);
  }

  Verdict send(byte[] packet) {
    System.arraycopy(packet, 0, buf, PacketContext.HEADROOM, packet.length);
    ctx.reset(buf, PacketContext.HEADROOM, packet.length);
    return pipeline.process(ctx, (b, off, len, gso, partial) -> out.add(Arrays.copyOfRange(b, off, off + len)));
  }

  byte[] only() {
    if (out.size() != 1) throw new AssertionError("expected one packet out, got " + out.size());
    byte[] p = out.getFirst();
    out.clear();
    return p;
  }

  static final class MutableClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
      return millis;
    }
  }
}
