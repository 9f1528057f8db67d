package net.tinyisp.pppoe.ipv6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.pppoe.ipv6.Dhcpv6Message.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixDelegationTest {
  static final byte[] SERVER_DUID = PrefixDelegation.duidLl(HexFormat.of().parseHex("020000000001"));
  static final Option CLIENT = new Option(Dhcpv6Message.OPT_CLIENTID, PrefixDelegation.duidLl(HexFormat.of().parseHex("525400123456")));
  static final Option IA_PD = new Option(Dhcpv6Message.OPT_IA_PD, new byte[12]); // IAID 0, T1 0, T2 0 as dhcp6c sends

  private final PrefixDelegation pd;

  PrefixDelegationTest() throws Exception {
    pd = new PrefixDelegation(IpPrefix.parse("2001:db8:100::/48"), List.of(InetAddress.getByName("2001:db8::53")),
        SERVER_DUID, 3600, 7200);
  }

  private static IpPrefix delegatedIn(Dhcpv6Message m) {
    byte[] ia = m.option(Dhcpv6Message.OPT_IA_PD).data();
    List<Option> inner = Dhcpv6Message.parseOptions(ia, 12, ia.length);
    byte[] p = inner.getFirst().data();
    return new IpPrefix(java.util.Arrays.copyOfRange(p, 9, 25), p[8] & 0xff);
  }

  @Test
  void solicitGetsAnAdvertiseWithThePrefixAndRequestGetsTheReply() {
    byte[] advertise = pd.answer(new Dhcpv6Message(Dhcpv6Message.SOLICIT, 0x123456, List.of(CLIENT, IA_PD)).toBytes());
    Dhcpv6Message a = Dhcpv6Message.parse(advertise);
    assertThat(a.type()).isEqualTo(Dhcpv6Message.ADVERTISE);
    assertThat(a.transactionId()).isEqualTo(0x123456);
    assertThat(a.option(Dhcpv6Message.OPT_SERVERID).data()).isEqualTo(SERVER_DUID);
    assertThat(a.option(Dhcpv6Message.OPT_CLIENTID)).isEqualTo(CLIENT);
    assertThat(delegatedIn(a)).isEqualTo(IpPrefix.parse("2001:db8:100::/48"));
    Option server = a.option(Dhcpv6Message.OPT_SERVERID);
    Dhcpv6Message r = Dhcpv6Message.parse(pd.answer(
        new Dhcpv6Message(Dhcpv6Message.REQUEST, 0x777, List.of(CLIENT, server, IA_PD)).toBytes()));
    assertThat(r.type()).isEqualTo(Dhcpv6Message.REPLY);
    assertThat(delegatedIn(r)).isEqualTo(IpPrefix.parse("2001:db8:100::/48"));
    byte[] ia = r.option(Dhcpv6Message.OPT_IA_PD).data();
    assertThat(ByteBuffer.wrap(ia).getInt(4)).isEqualTo(1800); // T1 = 0.5 x preferred
    assertThat(ByteBuffer.wrap(ia).getInt(8)).isEqualTo(2880); // T2 = 0.8 x preferred
  }

  @Test
  void rapidCommitAndReleaseAndMessagesForOtherServers() {
    Dhcpv6Message rc = Dhcpv6Message.parse(pd.answer(new Dhcpv6Message(Dhcpv6Message.SOLICIT, 1,
        List.of(CLIENT, IA_PD, new Option(Dhcpv6Message.OPT_RAPID_COMMIT, new byte[0]))).toBytes()));
    assertThat(rc.type()).isEqualTo(Dhcpv6Message.REPLY);
    Option other = new Option(Dhcpv6Message.OPT_SERVERID, new byte[] {0, 3, 0, 1, 1, 2, 3, 4, 5, 6});
    assertThat(pd.answer(new Dhcpv6Message(Dhcpv6Message.REQUEST, 2, List.of(CLIENT, other, IA_PD)).toBytes())).isNull();
    Option ours = new Option(Dhcpv6Message.OPT_SERVERID, SERVER_DUID);
    assertThat(pd.answer(new Dhcpv6Message(Dhcpv6Message.RELEASE, 3, List.of(CLIENT, ours, IA_PD)).toBytes())).isNotNull();
    assertThat(pd.released()).isTrue();
  }

  @Test
  void malformedMessagesAreIgnored() {
    assertThat(pd.answer(new byte[] {1, 0})).isNull();
    assertThat(pd.answer(HexFormat.of().parseHex("01000001" + "0001ffff00"))).isNull();
    assertThat(pd.answer(new Dhcpv6Message(Dhcpv6Message.SOLICIT, 1, List.of(IA_PD)).toBytes())).isNull(); // no Client ID
  }

  @Test
  void tsharkDecodesTheReplyPacket(@TempDir Path dir) throws Exception {
    assumeTrue(Pcap.tsharkAvailable(), "tshark is not installed");
    byte[] advertise = pd.answer(new Dhcpv6Message(Dhcpv6Message.SOLICIT, 0x123456, List.of(CLIENT, IA_PD)).toBytes());
    byte[] clientLl = IpPrefix.parse("fe80::f42c:daee:16ed:55ba").network();
    String text = Pcap.decode(dir, List.of(PrefixDelegation.packet(0x0200_0000_0000_0001L, clientLl, advertise)));
    assertThat(text).contains("Advertise").contains("Identity Association for Prefix Delegation")
        .contains("2001:db8:100::").contains("2001:db8::53").contains("[Checksum Status: Good]");
  }
}
