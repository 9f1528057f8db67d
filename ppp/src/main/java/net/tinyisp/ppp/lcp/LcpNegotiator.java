package net.tinyisp.ppp.lcp;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import net.tinyisp.ppp.fsm.ControlProtocol;
import net.tinyisp.ppp.fsm.Negotiator;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;

/**
 * LCP as an access concentrator negotiates it: we ask for MRU, an authentication method and a Magic-Number; we
 * accept the peer's MRU up to ours, its Magic-Number unless it equals ours (a looped-back link, RFC 1661 §6.4), and
 * ACCM (meaningless on PPPoE but harmless); everything else is rejected, including ACFC/PFC, which RFC 2516 §7 says
 * not to use on PPPoE, and an Authentication-Protocol that would make us authenticate to the subscriber.
 */
public final class LcpNegotiator implements Negotiator, ControlProtocol.MagicNumberSource {
  private final LcpConfig config;
  private final RandomGenerator random;
  private int authIndex;
  private boolean askMru = true;
  private int magic;
  private int peerMagic;
  private int peerMru = 1492;
  private int loopNaks;
  private AuthMethod agreedAuth;

  public LcpNegotiator(LcpConfig config, RandomGenerator random) {
    this.config = config;
    this.random = random;
    this.magic = nonZeroMagic();
  }

  private int nonZeroMagic() {
    int m;
    do {
      m = random.nextInt();
    } while (m == 0); // §6.4: zero means "no magic number"
    return m;
  }

  @Override
  public List<ConfigOption> request() {
    List<ConfigOption> out = new ArrayList<>(3);
    if (askMru) out.add(ConfigOption.u16(LcpOption.MRU, config.mru()));
    out.add(config.auth().get(authIndex).option());
    out.add(ConfigOption.u32(LcpOption.MAGIC_NUMBER, magic));
    return out;
  }

  @Override
  public Verdict check(List<ConfigOption> peer) {
    List<ConfigOption> reject = new ArrayList<>();
    List<ConfigOption> nak = new ArrayList<>();
    for (ConfigOption o : peer) {
      switch (o.type()) {
        case LcpOption.MRU -> {
          if (o.dataLength() != 2) reject.add(o);
          else if (o.asNumber() > config.mru()) nak.add(ConfigOption.u16(LcpOption.MRU, config.mru()));
        }
        case LcpOption.ACCM -> {
          if (o.dataLength() != 4) reject.add(o);
        }
        case LcpOption.MAGIC_NUMBER -> {
          if (o.dataLength() != 4) {
            reject.add(o);
          } else if ((int) o.asNumber() == magic) {
            // §6.4: same magic as ours: maybe a loop; Nak with a fresh random value and pick a new one ourselves
            loopNaks++;
            magic = nonZeroMagic();
            nak.add(ConfigOption.u32(LcpOption.MAGIC_NUMBER, nonZeroMagic()));
          }
        }
        default -> reject.add(o);
      }
    }
    if (!reject.isEmpty()) return new Verdict(Code.CONFIGURE_REJECT, reject);
    if (!nak.isEmpty()) return new Verdict(Code.CONFIGURE_NAK, nak);
    for (ConfigOption o : peer) {
      if (o.type() == LcpOption.MAGIC_NUMBER) peerMagic = (int) o.asNumber();
      if (o.type() == LcpOption.MRU) peerMru = (int) o.asNumber();
    }
    return new Verdict(Code.CONFIGURE_ACK, peer);
  }

  @Override
  public void acked(List<ConfigOption> ours) {
    agreedAuth = config.auth().get(authIndex);
  }

  @Override
  public void nakked(List<ConfigOption> suggestions) {
    for (ConfigOption o : suggestions) {
      switch (o.type()) {
        case LcpOption.MAGIC_NUMBER -> magic = nonZeroMagic();
        case LcpOption.MRU -> { /* we keep asking for 1492: a smaller peer MRU only limits what we send */ }
        case LcpOption.AUTH_PROTOCOL -> {
          // the peer proposes another method: take it if we offer it, else move down our list
          AuthMethod wanted = AuthMethod.of(o);
          int idx = wanted == null ? -1 : config.auth().indexOf(wanted);
          if (idx >= 0) authIndex = idx;
          else if (authIndex + 1 < config.auth().size()) authIndex++;
        }
        default -> { }
      }
    }
  }

  @Override
  public boolean rejected(List<ConfigOption> rejected) {
    for (ConfigOption o : rejected) {
      if (o.type() == LcpOption.AUTH_PROTOCOL) return false; // an AC never lets a subscriber in unauthenticated
      if (o.type() == LcpOption.MRU) askMru = false;
    }
    return true;
  }

  @Override
  public int localMagic() {
    return magic;
  }

  public int peerMagic() {
    return peerMagic;
  }

  public int peerMru() {
    return peerMru;
  }

  /** The authentication method both sides agreed on; null until LCP is Opened. */
  public AuthMethod agreedAuth() {
    return agreedAuth;
  }

  /** How often the peer echoed our own Magic-Number back in its Configure-Request (a looped link if it grows). */
  public int loopbackSuspicions() {
    return loopNaks;
  }
}
