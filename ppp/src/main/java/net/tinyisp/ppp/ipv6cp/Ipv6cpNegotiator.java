package net.tinyisp.ppp.ipv6cp;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import net.tinyisp.ppp.fsm.Negotiator;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;

/**
 * RFC 5072 §4.1 IPv6CP: the only option is the 64-bit Interface-Identifier, from which each side forms its
 * link-local address fe80::/64 + identifier. We Nak a peer identifier that is zero or equal to ours with a fresh
 * random one, as the RFC asks, and refuse any other option.
 */
public final class Ipv6cpNegotiator implements Negotiator {
  public static final int INTERFACE_IDENTIFIER = 1;

  private final RandomGenerator random;
  private long local;
  private long peer;

  public Ipv6cpNegotiator(RandomGenerator random) {
    this.random = random;
    this.local = nonZero();
  }

  private long nonZero() {
    long v;
    do {
      // RFC 7136: no meaning in the u/g bits of an identifier; clear the "global" bit as pppd's random ones do
      v = random.nextLong() & ~0x0200000000000000L;
    } while (v == 0);
    return v;
  }

  @Override
  public List<ConfigOption> request() {
    return List.of(identifier(local));
  }

  private static ConfigOption identifier(long v) {
    return new ConfigOption(INTERFACE_IDENTIFIER, java.nio.ByteBuffer.allocate(8).putLong(v).array());
  }

  @Override
  public Verdict check(List<ConfigOption> options) {
    List<ConfigOption> reject = new ArrayList<>();
    List<ConfigOption> nak = new ArrayList<>();
    long proposed = 0;
    for (ConfigOption o : options) {
      if (o.type() != INTERFACE_IDENTIFIER || o.dataLength() != 8) {
        reject.add(o);
        continue;
      }
      proposed = java.nio.ByteBuffer.wrap(o.data()).getLong();
      if (proposed == 0 || proposed == local) {
        long suggestion;
        do {
          suggestion = nonZero();
        } while (suggestion == local);
        nak.add(identifier(suggestion));
      }
    }
    if (!reject.isEmpty()) return new Verdict(Code.CONFIGURE_REJECT, reject);
    if (!nak.isEmpty()) return new Verdict(Code.CONFIGURE_NAK, nak);
    if (proposed == 0) {
      // the peer sent no identifier: RFC 5072 §4.1 lets us Nak to give it one
      return new Verdict(Code.CONFIGURE_NAK, List.of(identifier(nonZero())));
    }
    peer = proposed;
    return new Verdict(Code.CONFIGURE_ACK, options);
  }

  @Override
  public void acked(List<ConfigOption> ours) {}

  @Override
  public void nakked(List<ConfigOption> suggestions) {
    for (ConfigOption o : suggestions) {
      if (o.type() == INTERFACE_IDENTIFIER && o.dataLength() == 8) {
        long v = java.nio.ByteBuffer.wrap(o.data()).getLong();
        local = v != 0 && v != peer ? v : nonZero();
      }
    }
  }

  @Override
  public boolean rejected(List<ConfigOption> rejected) {
    return false; // without an identifier there is no link-local address to route to
  }

  public long localIdentifier() {
    return local;
  }

  /** The subscriber's identifier once IPv6CP is Opened; its link-local address is fe80::/64 + this. */
  public long peerIdentifier() {
    return peer;
  }
}
