package net.tinyisp.pppoe.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.tinyisp.ppp.Protocols;
import net.tinyisp.ppp.link.LinkConfig;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;
import net.tinyisp.ppp.wire.ControlPacket;
import net.tinyisp.pppoe.DropReason;
import net.tinyisp.pppoe.discovery.DiscoveryConfig;
import net.tinyisp.pppoe.discovery.DiscoveryServer;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.PppoeFrame;
import net.tinyisp.pppoe.wire.Tag;
import org.junit.jupiter.api.Test;

/**
 * Malformed discovery and PPP frames, each named, hand-built byte by byte (RFC 2516 §4 header: VER 4 bits, TYPE
 * 4 bits, CODE, SESSION_ID, LENGTH, then TLV tags): every one is dropped with its own reason and nothing is sent
 * back, except where an RFC asks for an answer (LCP Code-Reject, §5.7). The session they were aimed at survives.
 */
class MalformedFramesTest {
  static final MacAddress AC = MacAddress.parse("02:00:00:00:00:01");
  static final MacAddress CPE = MacAddress.parse("52:54:00:12:34:56");
  static final MacAddress OTHER = MacAddress.parse("52:54:00:00:00:99");

  private final AccessConcentrator ac = new AccessConcentrator(
      new DiscoveryServer(new DiscoveryConfig("bng", List.of(), 100, 5, 1000, "0123456789abcdef".getBytes()), AC,
          new SplittableRandom(1), 0),
      AC, LinkConfig.defaults("bng"), new SplittableRandom(2));

  /** An Ethernet + PPPoE header with every field chosen by the test, then {@code payload} as is. */
  static byte[] raw(MacAddress dst, MacAddress src, int etherType, int verType, int code, int session, int length,
      byte... payload) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(60, 20 + payload.length));
    b.put(dst.bytes()).put(src.bytes()).putShort((short) etherType).put((byte) verType).put((byte) code)
        .putShort((short) session).putShort((short) length).put(payload);
    return b.array();
  }

  private List<AcAction> in(byte[] frame) {
    return ac.receive(frame, frame.length, 0);
  }

  private static DropReason dropOf(List<AcAction> actions) {
    assertThat(actions).singleElement().isInstanceOf(AcAction.Drop.class);
    return ((AcAction.Drop) actions.getFirst()).reason();
  }

  private static List<PppoeFrame> sent(List<AcAction> actions) {
    List<PppoeFrame> out = new ArrayList<>();
    for (AcAction a : actions) {
      if (a instanceof AcAction.SendFrame f) out.add(PppoeFrame.parse(f.frame(), f.frame().length));
    }
    return out;
  }

  private int openSession() {
    byte[] padi = PppoeFrame.discovery(MacAddress.BROADCAST, CPE, PppoeFrame.CODE_PADI, 0, List.of(Tag.text(Tag.SERVICE_NAME, ""))).toBytes();
    PppoeFrame pado = sent(in(padi)).getFirst();
    byte[] padr = PppoeFrame.discovery(AC, CPE, PppoeFrame.CODE_PADR, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""), pado.tag(Tag.AC_COOKIE))).toBytes();
    return sent(in(padr)).getFirst().sessionId();
  }

  private byte[] ppp(int session, MacAddress src, byte... pppPayload) {
    return raw(AC, src, PppoeFrame.ETHERTYPE_SESSION, 0x11, 0, session, pppPayload.length, pppPayload);
  }

  private static byte[] withProtocol(int protocol, byte[] info) {
    return ByteBuffer.allocate(2 + info.length).putShort((short) protocol).put(info).array();
  }

  @Test
  void malformedDiscoveryFramesAreDroppedByName() {
    byte[] serviceName = {0x01, 0x01, 0x00, 0x00};
    int d = PppoeFrame.ETHERTYPE_DISCOVERY;
    assertThat(dropOf(in(new byte[19]))).isEqualTo(DropReason.MALFORMED_SHORT);
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, CPE, 0x0800, 0x11, 0x09, 0, 4, serviceName)))).isEqualTo(DropReason.MALFORMED_ETHERTYPE);
    // VER 2 and TYPE 2 (§4: both MUST be 1)
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, CPE, d, 0x21, 0x09, 0, 4, serviceName)))).isEqualTo(DropReason.MALFORMED_VERSION);
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, CPE, d, 0x12, 0x09, 0, 4, serviceName)))).isEqualTo(DropReason.MALFORMED_VERSION);
    // LENGTH 1400 in a 60-byte frame
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, CPE, d, 0x11, 0x09, 0, 1400, serviceName)))).isEqualTo(DropReason.MALFORMED_LENGTH);
    // a tag header cut short (2 of 4 bytes) and a tag whose length runs past LENGTH
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, CPE, d, 0x11, 0x09, 0, 2, (byte) 0x01, (byte) 0x01)))).isEqualTo(DropReason.MALFORMED_TAG);
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, CPE, d, 0x11, 0x09, 0, 8, (byte) 0x01, (byte) 0x01, (byte) 0x00, (byte) 0x20, (byte) 'a', (byte) 'b', (byte) 'c', (byte) 'd'))))
        .isEqualTo(DropReason.MALFORMED_TAG);
    // codes an AC never receives (PADO, PADS) and one RFC 2516 does not define
    assertThat(dropOf(in(raw(AC, CPE, d, 0x11, 0x07, 0, 4, serviceName)))).isEqualTo(DropReason.UNEXPECTED_CODE);
    assertThat(dropOf(in(raw(AC, CPE, d, 0x11, 0x65, 0, 4, serviceName)))).isEqualTo(DropReason.UNEXPECTED_CODE);
    assertThat(dropOf(in(raw(AC, CPE, d, 0x11, 0x42, 0, 4, serviceName)))).isEqualTo(DropReason.UNEXPECTED_CODE);
    // well-formed but not allowed: §5.1 PADI to a unicast address or with a SESSION_ID; no Service-Name; a PADR
    // with no cookie; a PADT for nobody's session; a multicast source
    assertThat(dropOf(in(raw(AC, CPE, d, 0x11, 0x09, 0, 4, serviceName)))).isEqualTo(DropReason.PADI_NOT_BROADCAST);
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, CPE, d, 0x11, 0x09, 7, 4, serviceName)))).isEqualTo(DropReason.BAD_SESSION_ID);
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, CPE, d, 0x11, 0x09, 0, 0)))).isEqualTo(DropReason.SERVICE_NAME_MISSING);
    assertThat(dropOf(in(raw(AC, CPE, d, 0x11, 0x19, 0, 4, serviceName)))).isEqualTo(DropReason.BAD_COOKIE);
    assertThat(dropOf(in(raw(AC, CPE, d, 0x11, 0xa7, 4242, 0)))).isEqualTo(DropReason.PADT_UNKNOWN_SESSION);
    assertThat(dropOf(in(raw(MacAddress.BROADCAST, MacAddress.parse("01:00:5e:00:00:01"), d, 0x11, 0x09, 0, 4, serviceName))))
        .isEqualTo(DropReason.MULTICAST_SOURCE);
    assertThat(ac.sessionCount()).isZero();
  }

  @Test
  void sessionFramesForUnknownSessionsAndBrokenPppAreDroppedAndTheSessionSurvives() {
    int id = openSession();
    byte[] lcpRequest = new ControlPacket(Code.CONFIGURE_REQUEST, 1, ConfigOption.toBytes(List.of(ConfigOption.u16(1, 1492)))).toBytes();
    // unknown SESSION_ID, the right SESSION_ID from another MAC, a non-zero CODE on a session frame
    assertThat(dropOf(in(ppp(id ^ 0x5555, CPE, withProtocol(Protocols.LCP, lcpRequest))))).isEqualTo(DropReason.UNKNOWN_SESSION);
    assertThat(dropOf(in(ppp(id, OTHER, withProtocol(Protocols.LCP, lcpRequest))))).isEqualTo(DropReason.UNKNOWN_SESSION);
    byte[] coded = withProtocol(Protocols.LCP, lcpRequest);
    assertThat(dropOf(in(raw(AC, CPE, PppoeFrame.ETHERTYPE_SESSION, 0x11, 0x09, id, coded.length, coded)))).isEqualTo(DropReason.UNKNOWN_SESSION);
    // the subscriber's real Configure-Request: our own request goes out first, then the Ack
    assertThat(sent(in(ppp(id, CPE, withProtocol(Protocols.LCP, lcpRequest))))).extracting(f -> (int) f.payload()[2])
        .containsExactly(Code.CONFIGURE_REQUEST, Code.CONFIGURE_ACK);
    // PPP: no protocol field; an LCP header whose Length (0x40) runs past the packet; a Configure-Request whose
    // option says 8 bytes but has 2
    assertThat(dropOf(in(ppp(id, CPE, (byte) 0xc0)))).isEqualTo(DropReason.PPP_MALFORMED);
    assertThat(dropOf(in(ppp(id, CPE, withProtocol(Protocols.LCP, new byte[] {1, 9, 0, 0x40, 1, 4}))))).isEqualTo(DropReason.PPP_MALFORMED);
    assertThat(dropOf(in(ppp(id, CPE, withProtocol(Protocols.LCP, new byte[] {1, 9, 0, 8, 1, 8, 5, (byte) 0xdc})))))
        .isEqualTo(DropReason.PPP_MALFORMED);
    // a protocol nobody speaks and IPv6CP, both before LCP is Opened (it is in Ack-Sent) (§5.7: Protocol-Reject only when Opened)
    assertThat(dropOf(in(ppp(id, CPE, withProtocol(0x1234, new byte[] {1, 2, 3, 4}))))).isEqualTo(DropReason.PPP_PROTOCOL);
    assertThat(dropOf(in(ppp(id, CPE, withProtocol(Protocols.IPV6CP, lcpRequest))))).isEqualTo(DropReason.PPP_PROTOCOL);
    // the session is intact: a retransmission of its Configure-Request is acked again
    assertThat(sent(in(ppp(id, CPE, withProtocol(Protocols.LCP, lcpRequest))))).extracting(f -> (int) f.payload()[2])
        .containsExactly(Code.CONFIGURE_ACK);
    // an unknown LCP code is answered with Code-Reject (§5.6), not dropped
    List<PppoeFrame> reject = sent(in(ppp(id, CPE, withProtocol(Protocols.LCP, new byte[] {0x55, 1, 0, 4}))));
    assertThat(reject).singleElement().satisfies(f -> assertThat((int) f.payload()[2]).isEqualTo(Code.CODE_REJECT));
    assertThat(ac.sessionCount()).isEqualTo(1);
  }
}
