package net.tinyisp.ppp.lcp;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import net.tinyisp.ppp.fsm.ControlProtocol;
import net.tinyisp.ppp.fsm.Negotiator;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;

/**
 * LCP as a subscriber's router negotiates it (pppd's defaults on PPPoE): we ask for MRU 1492 and a Magic-Number, and
 * accept the access concentrator's MRU, Magic-Number and an Authentication-Protocol we can answer (CHAP-MD5, PAP);
 * another method is Nak'd towards the first one we allow.
 */
public final class ClientLcpNegotiator implements Negotiator, ControlProtocol.MagicNumberSource {
  private final List<AuthMethod> allowed;
  private final RandomGenerator random;
  private int magic;
  private AuthMethod auth;

  public ClientLcpNegotiator(List<AuthMethod> allowed, RandomGenerator random) {
    this.allowed = List.copyOf(allowed);
    this.random = random;
    this.magic = nonZero();
  }

  private int nonZero() {
    int m;
    do {
      m = random.nextInt();
    } while (m == 0);
    return m;
  }

  @Override
  public List<ConfigOption> request() {
    return List.of(ConfigOption.u16(LcpOption.MRU, 1492), ConfigOption.u32(LcpOption.MAGIC_NUMBER, magic));
  }

  @Override
  public Verdict check(List<ConfigOption> peer) {
    List<ConfigOption> reject = new ArrayList<>();
    List<ConfigOption> nak = new ArrayList<>();
    AuthMethod asked = null;
    for (ConfigOption o : peer) {
      switch (o.type()) {
        case LcpOption.MRU, LcpOption.ACCM -> { }
        case LcpOption.MAGIC_NUMBER -> {
          if (o.dataLength() != 4) reject.add(o);
          else if ((int) o.asNumber() == magic) nak.add(ConfigOption.u32(LcpOption.MAGIC_NUMBER, nonZero()));
        }
        case LcpOption.AUTH_PROTOCOL -> {
          asked = AuthMethod.of(o);
          if (asked == null || !allowed.contains(asked)) nak.add(allowed.getFirst().option());
        }
        default -> reject.add(o);
      }
    }
    if (!reject.isEmpty()) return new Verdict(Code.CONFIGURE_REJECT, reject);
    if (!nak.isEmpty()) return new Verdict(Code.CONFIGURE_NAK, nak);
    auth = asked;
    return new Verdict(Code.CONFIGURE_ACK, peer);
  }

  @Override
  public void acked(List<ConfigOption> ours) {}

  @Override
  public void nakked(List<ConfigOption> suggestions) {
    for (ConfigOption o : suggestions) {
      if (o.type() == LcpOption.MAGIC_NUMBER) magic = nonZero();
    }
  }

  @Override
  public boolean rejected(List<ConfigOption> rejected) {
    return true;
  }

  @Override
  public int localMagic() {
    return magic;
  }

  /** The method the access concentrator asked for and we accepted; null if it asked for none. */
  public AuthMethod auth() {
    return auth;
  }
}
