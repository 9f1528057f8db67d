package net.tinyisp.ppp.ipcp;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.tinyisp.ppp.fsm.Negotiator;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;

/**
 * IPCP for the optional dual-stack mode (tinyisp is IPv6-only by default and Protocol-Rejects IPCP). RFC 1332 §3.3
 * IP-Address: the peer asking for 0.0.0.0 or another address is Nak'd with the one it was assigned; RFC 1877
 * Primary/Secondary-DNS (129/131) are Nak'd with the configured resolvers. Everything else is rejected.
 */
public final class IpcpNegotiator implements Negotiator {
  public static final int IP_ADDRESS = 3;
  public static final int PRIMARY_DNS = 129;
  public static final int SECONDARY_DNS = 131;

  private final byte[] local;
  private final byte[] assigned;
  private final byte[] dns1;
  private final byte[] dns2;

  /** @param dns1 may be null (then Primary-DNS is rejected); likewise dns2 */
  public IpcpNegotiator(Inet4Address local, Inet4Address assigned, Inet4Address dns1, Inet4Address dns2) {
    this.local = local.getAddress();
    this.assigned = assigned.getAddress();
    this.dns1 = dns1 == null ? null : dns1.getAddress();
    this.dns2 = dns2 == null ? null : dns2.getAddress();
  }

  @Override
  public List<ConfigOption> request() {
    return List.of(new ConfigOption(IP_ADDRESS, local));
  }

  @Override
  public Verdict check(List<ConfigOption> options) {
    List<ConfigOption> reject = new ArrayList<>();
    List<ConfigOption> nak = new ArrayList<>();
    for (ConfigOption o : options) {
      byte[] want = switch (o.type()) {
        case IP_ADDRESS -> assigned;
        case PRIMARY_DNS -> dns1;
        case SECONDARY_DNS -> dns2;
        default -> null;
      };
      if (want == null || o.dataLength() != 4) {
        reject.add(o);
      } else if (!Arrays.equals(o.data(), want)) {
        nak.add(new ConfigOption(o.type(), want));
      }
    }
    if (!reject.isEmpty()) return new Verdict(Code.CONFIGURE_REJECT, reject);
    if (!nak.isEmpty()) return new Verdict(Code.CONFIGURE_NAK, nak);
    return new Verdict(Code.CONFIGURE_ACK, options);
  }

  @Override
  public void acked(List<ConfigOption> ours) {}

  @Override
  public void nakked(List<ConfigOption> suggestions) {
    // our own address is configured, not negotiable: keep asking; Max-Configure ends a peer that disagrees
  }

  @Override
  public boolean rejected(List<ConfigOption> rejected) {
    return rejected.stream().noneMatch(o -> o.type() == IP_ADDRESS);
  }
}
