package net.tinyisp.pppoe.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.tinyisp.ppp.Protocols;
import net.tinyisp.ppp.auth.PapPacket;
import net.tinyisp.ppp.link.LinkConfig;
import net.tinyisp.ppp.link.LinkEvent;
import net.tinyisp.ppp.link.TerminateCause;
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

/** Frames in, frames out: discovery, a session's first LCP packet, PADT both ways, drops. */
class AccessConcentratorTest {
  static final MacAddress AC = MacAddress.parse("02:00:00:00:00:01");
  static final MacAddress CPE = MacAddress.parse("52:54:00:12:34:56");

  private final AccessConcentrator ac = new AccessConcentrator(
      new DiscoveryServer(new DiscoveryConfig("bng", List.of(), 100, 5, 1000, "0123456789abcdef".getBytes()), AC,
          new SplittableRandom(1), 0),
      AC, LinkConfig.defaults("bng"), new SplittableRandom(2));

  private int firstLcpRequestId;

  private List<PppoeFrame> frames(List<AcAction> actions) {
    List<PppoeFrame> out = new ArrayList<>();
    for (AcAction a : actions) {
      if (a instanceof AcAction.SendFrame f) out.add(PppoeFrame.parse(f.frame(), f.frame().length));
    }
    return out;
  }

  private List<AcAction> in(PppoeFrame f) {
    byte[] b = f.toBytes();
    return ac.receive(b, b.length, 0);
  }

  private int openSession() {
    PppoeFrame pado = frames(in(PppoeFrame.discovery(MacAddress.BROADCAST, CPE, PppoeFrame.CODE_PADI, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""))))).getFirst();
    List<PppoeFrame> out = frames(in(PppoeFrame.discovery(AC, CPE, PppoeFrame.CODE_PADR, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""), pado.tag(Tag.AC_COOKIE)))));
    assertThat(out.getFirst().code()).isEqualTo(PppoeFrame.CODE_PADS);
    int id = out.getFirst().sessionId();
    // our first LCP Configure-Request waits for the subscriber's (pppd drops one that comes before it is ready)
    assertThat(out).hasSize(1);
    byte[] theirs = new ControlPacket(Code.CONFIGURE_REQUEST, 1, ConfigOption.toBytes(List.of(ConfigOption.u16(1, 1492)))).toBytes();
    List<PppoeFrame> answer = frames(in(session(id, Protocols.LCP, theirs)));
    PppoeFrame lcp = answer.getFirst();
    assertThat(lcp.etherType()).isEqualTo(PppoeFrame.ETHERTYPE_SESSION);
    assertThat(lcp.sessionId()).isEqualTo(id);
    byte[] p = lcp.payload();
    assertThat((p[0] & 0xff) << 8 | p[1] & 0xff).isEqualTo(Protocols.LCP);
    assertThat(p[2]).isEqualTo((byte) Code.CONFIGURE_REQUEST);
    assertThat(answer.get(1).payload()[2]).isEqualTo((byte) Code.CONFIGURE_ACK);
    firstLcpRequestId = p[3] & 0xff;
    return lcp.sessionId();
  }

  private PppoeFrame session(int id, int protocol, byte[] info) {
    byte[] payload = new byte[2 + info.length];
    payload[0] = (byte) (protocol >> 8);
    payload[1] = (byte) protocol;
    System.arraycopy(info, 0, payload, 2, info.length);
    return new PppoeFrame(AC, CPE, PppoeFrame.ETHERTYPE_SESSION, 0, id, List.of(), payload);
  }

  @Test
  void discoveryStartsLcpOnTheNewSession() {
    openSession();
    assertThat(ac.sessionCount()).isEqualTo(1);
  }

  @Test
  void papCredentialsGoToRadiusAndPadtFromTheClientEndsTheSession() {
    int id = openSession();
    // the subscriber (whose own request we acked in openSession) Naks CHAP down to PAP, acks, then sends PAP
    byte[] nak = new ControlPacket(Code.CONFIGURE_NAK, firstLcpRequestId, ConfigOption.toBytes(List.of(
        new ConfigOption(3, new byte[] {(byte) 0xc0, 0x23})))).toBytes();
    List<PppoeFrame> retry = frames(in(session(id, Protocols.LCP, nak)));
    byte[] req = retry.getFirst().payload();
    ControlPacket ours = ControlPacket.parse(java.nio.ByteBuffer.wrap(req, 2, req.length - 2).slice());
    in(session(id, Protocols.LCP, new ControlPacket(Code.CONFIGURE_ACK, ours.identifier(), ours.data()).toBytes()));
    List<AcAction> auth = in(session(id, Protocols.PAP, PapPacket.request(1, "alice", "secret".getBytes(StandardCharsets.UTF_8)).toBytes()));
    assertThat(auth).anySatisfy(a -> {
      assertThat(a).isInstanceOf(AcAction.Authenticate.class);
      assertThat(((AcAction.Authenticate) a).credentials()).isInstanceOf(LinkEvent.PapCredentials.class);
    });
    List<AcAction> down = in(PppoeFrame.discovery(AC, CPE, PppoeFrame.CODE_PADT, id, List.of()));
    assertThat(down).contains(new AcAction.SessionDown(id, CPE, "alice", TerminateCause.USER_REQUEST));
    assertThat(frames(down)).isEmpty(); // no PADT back to a client that already left
    assertThat(ac.sessionCount()).isZero();
  }

  @Test
  void framesForUnknownSessionsAndGarbageAreCountedDrops() {
    assertThat(in(session(77, Protocols.LCP, new byte[] {1, 1, 0, 4})))
        .singleElement().satisfies(a -> assertThat(((AcAction.Drop) a).reason()).isEqualTo(DropReason.UNKNOWN_SESSION));
    assertThat(ac.receive(new byte[10], 10, 0))
        .singleElement().satisfies(a -> assertThat(((AcAction.Drop) a).reason()).isEqualTo(DropReason.MALFORMED_SHORT));
  }

  @Test
  void adminTerminateSendsLcpTerminateThenPadtAfterTheAck() {
    int id = openSession();
    List<AcAction> t = ac.terminate(id, TerminateCause.ADMIN_RESET, 0);
    // LCP is not yet Opened (Req-Sent): Close sends Terminate-Request
    PppoeFrame term = frames(t).getFirst();
    assertThat(term.payload()[2]).isEqualTo((byte) Code.TERMINATE_REQUEST);
    int termId = term.payload()[3] & 0xff;
    List<AcAction> end = in(session(id, Protocols.LCP, new ControlPacket(Code.TERMINATE_ACK, termId, new byte[0]).toBytes()));
    assertThat(frames(end)).singleElement().satisfies(f -> assertThat(f.code()).isEqualTo(PppoeFrame.CODE_PADT));
    assertThat(end).anySatisfy(a -> assertThat(a).isEqualTo(new AcAction.SessionDown(id, CPE, null, TerminateCause.ADMIN_RESET)));
  }
}
