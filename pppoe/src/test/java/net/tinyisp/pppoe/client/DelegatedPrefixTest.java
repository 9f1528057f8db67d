package net.tinyisp.pppoe.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.pppoe.ipv6.PrefixDelegation;
import org.junit.jupiter.api.Test;

/** The load client's DHCPv6-PD against the access concentrator's own server code (RFC 8415 Rapid Commit). */
class DelegatedPrefixTest {
  static final long IID = 0x2899_e4ba_2dff_4cd1L;
  static final byte[] MAC = {2, 0, 0, 0, 0, 7};

  @Test
  void theAcsServerAnswersOurSolicitWithTheDelegatedPrefix() {
    byte[] solicit = DelegatedPrefix.solicit(IID, MAC, 42);
    assertThat(solicit[6]).isEqualTo((byte) 17);
    PrefixDelegation server = new PrefixDelegation(IpPrefix.parse("2001:db8:1002::/48"), List.of(),
        PrefixDelegation.duidLl(new byte[] {2, 0, 0, 0, (byte) 0xac, 1}), 3600, 7200);
    byte[] answer = server.answer(Arrays.copyOfRange(solicit, 48, solicit.length));
    assertThat(answer).isNotNull();
    byte[] reply = PrefixDelegation.packet(0x1234, Arrays.copyOfRange(solicit, 8, 24), answer);
    assertThat(DelegatedPrefix.isForClient(reply, reply.length)).isTrue();
    assertThat(DelegatedPrefix.fromReply(reply, reply.length)).hasToString("2001:db8:1002::/48");
  }

  @Test
  void udpChecksumOfTheSolicitVerifies() {
    byte[] p = DelegatedPrefix.solicit(IID, MAC, 7);
    long sum = 0;
    for (int i = 8; i < 40; i += 2) sum += (p[i] & 0xff) << 8 | p[i + 1] & 0xff;
    sum += (p.length - 40) + 17;
    for (int i = 40; i < p.length; i += 2) sum += (p[i] & 0xff) << 8 | (i + 1 < p.length ? p[i + 1] & 0xff : 0);
    while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
    assertThat(sum).isEqualTo(0xffff);
  }

  @Test
  void truncatedOrForeignPacketsGiveNothing() {
    byte[] solicit = DelegatedPrefix.solicit(IID, MAC, 42);
    assertThat(DelegatedPrefix.fromReply(solicit, solicit.length)).isNull(); // to the server port, not ours
    assertThat(DelegatedPrefix.fromReply(new byte[60], 60)).isNull();
  }
}
