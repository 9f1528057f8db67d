package net.tinyisp.nat64.steps;

/**
 * RFC 6146 §3.8: a packet from an IPv6 host to pool6(T) where T is one of our own pool4 addresses must reach the
 * IPv6 host behind (T,t) without leaving the box. After IPv6-to-IPv4 translation the packet is exactly what an
 * IPv4 host would have sent to (T,t), so it goes through the pipeline once more in the other direction.
 */
public final class HandlingHairpinning {
  private final java.util.function.IntPredicate isPool4;

  public HandlingHairpinning(java.util.function.IntPredicate isPool4) {
    this.isPool4 = isPool4;
  }

  /** True when the translated IPv4 packet must be fed back as incoming IPv4. */
  public boolean isHairpin(PacketContext c) {
    return c.fromV6 && isPool4.test(c.outDst4);
  }
}
