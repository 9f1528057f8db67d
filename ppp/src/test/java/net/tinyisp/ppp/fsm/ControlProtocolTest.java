package net.tinyisp.ppp.fsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;
import net.tinyisp.ppp.wire.ControlPacket;
import org.junit.jupiter.api.Test;

class ControlProtocolTest {
  private static final long SECOND = 1_000_000_000L;

  /** Asks for MRU 1492 (type 1) and accepts any MRU >= 1280 from the peer; Naks smaller ones to 1492. */
  static final class MruNegotiator implements Negotiator, ControlProtocol.MagicNumberSource {
    int mru = 1492;
    Integer agreed;

    @Override
    public List<ConfigOption> request() {
      return List.of(ConfigOption.u16(1, mru));
    }

    @Override
    public Verdict check(List<ConfigOption> peer) {
      List<ConfigOption> rej = peer.stream().filter(o -> o.type() != 1).toList();
      if (!rej.isEmpty()) return new Verdict(Code.CONFIGURE_REJECT, rej);
      List<ConfigOption> nak = peer.stream().filter(o -> o.asNumber() < 1280).map(o -> ConfigOption.u16(1, 1492)).toList();
      return nak.isEmpty() ? new Verdict(Code.CONFIGURE_ACK, peer) : new Verdict(Code.CONFIGURE_NAK, nak);
    }

    @Override
    public void acked(List<ConfigOption> ours) {
      agreed = (int) ours.getFirst().asNumber();
    }

    @Override
    public void nakked(List<ConfigOption> suggestions) {
      mru = (int) suggestions.getFirst().asNumber();
    }

    @Override
    public boolean rejected(List<ConfigOption> rejected) {
      return false;
    }

    @Override
    public int localMagic() {
      return 0x11223344;
    }
  }

  private static List<byte[]> sent(List<Output> out) {
    List<byte[]> b = new ArrayList<>();
    for (Output o : out) if (o instanceof Output.Send s) b.add(s.packet().toBytes());
    return b;
  }

  /** Delivers everything each side sends to the other until both are quiet. */
  private static void exchange(ControlProtocol a, List<byte[]> fromA, ControlProtocol b, List<byte[]> fromB, List<Output> seenA, List<Output> seenB) {
    while (!fromA.isEmpty() || !fromB.isEmpty()) {
      List<byte[]> nextA = new ArrayList<>(), nextB = new ArrayList<>();
      for (byte[] p : fromA) { List<Output> o = b.receive(p, 0); seenB.addAll(o); nextB.addAll(sent(o)); }
      for (byte[] p : fromB) { List<Output> o = a.receive(p, 0); seenA.addAll(o); nextA.addAll(sent(o)); }
      fromA = nextA;
      fromB = nextB;
    }
  }

  @Test
  void twoPeersNegotiateToOpened() {
    MruNegotiator na = new MruNegotiator(), nb = new MruNegotiator();
    nb.mru = 1000; // b first asks for too small an MRU: a Naks it to 1492, b adopts it
    ControlProtocol a = new ControlProtocol(na, Timers.RFC_DEFAULTS, Options.DEFAULT, true, 1);
    ControlProtocol b = new ControlProtocol(nb, Timers.RFC_DEFAULTS, Options.DEFAULT, true, 100);
    List<Output> seenA = new ArrayList<>(a.open(0)), seenB = new ArrayList<>(b.open(0));
    List<Output> upA = a.up(0), upB = b.up(0);
    seenA.addAll(upA);
    seenB.addAll(upB);
    exchange(a, sent(upA), b, sent(upB), seenA, seenB);
    assertThat(a.state()).isEqualTo(State.OPENED);
    assertThat(b.state()).isEqualTo(State.OPENED);
    assertThat(seenA).contains(new Output.LayerUp());
    assertThat(seenB).contains(new Output.LayerUp());
    assertThat(nb.agreed).isEqualTo(1492);
    assertThat(a.deadline()).isEqualTo(-1); // no timer once Opened
  }

  @Test
  void silentPeerExhaustsMaxConfigureThenFinishes() {
    ControlProtocol a = new ControlProtocol(new MruNegotiator(), Timers.RFC_DEFAULTS, Options.DEFAULT, true, 1);
    a.open(0);
    int requests = sent(a.up(0)).size();
    long now = 0;
    List<Output> last = List.of();
    while (a.state() == State.REQ_SENT) {
      now = a.deadline();
      last = a.tick(now);
      requests += sent(last).size();
    }
    assertThat(requests).isEqualTo(Timers.RFC_DEFAULTS.maxConfigure());
    assertThat(now).isEqualTo(10 * 3 * SECOND);
    assertThat(a.state()).isEqualTo(State.STOPPED);
    assertThat(last).containsExactly(new Output.LayerFinished());
  }

  @Test
  void terminateRequestIsAckedAndTheLayerGoesDown() {
    MruNegotiator n = new MruNegotiator();
    ControlProtocol a = new ControlProtocol(n, Timers.RFC_DEFAULTS, Options.DEFAULT, true, 1);
    ControlProtocol b = new ControlProtocol(new MruNegotiator(), Timers.RFC_DEFAULTS, Options.DEFAULT, true, 50);
    a.open(0); b.open(0);
    exchange(a, sent(a.up(0)), b, sent(b.up(0)), new ArrayList<>(), new ArrayList<>());
    List<Output> out = a.receive(new ControlPacket(Code.TERMINATE_REQUEST, 7, new byte[0]).toBytes(), 0);
    assertThat(out).first().isEqualTo(new Output.LayerDown());
    assertThat(sent(out)).singleElement().satisfies(p -> assertThat(ControlPacket.parse(java.nio.ByteBuffer.wrap(p)))
        .isEqualTo(new ControlPacket(Code.TERMINATE_ACK, 7, new byte[0])));
    assertThat(a.state()).isEqualTo(State.STOPPING);
    // ZRC: one restart period later the layer finishes
    assertThat(a.tick(a.deadline())).containsExactly(new Output.LayerFinished());
    assertThat(a.state()).isEqualTo(State.STOPPED);
  }

  @Test
  void unknownCodesAreCodeRejectedAndEchoIsAnsweredWithOurMagic() {
    MruNegotiator n = new MruNegotiator();
    ControlProtocol a = new ControlProtocol(n, Timers.RFC_DEFAULTS, Options.DEFAULT, true, 1);
    ControlProtocol b = new ControlProtocol(new MruNegotiator(), Timers.RFC_DEFAULTS, Options.DEFAULT, true, 50);
    a.open(0); b.open(0);
    exchange(a, sent(a.up(0)), b, sent(b.up(0)), new ArrayList<>(), new ArrayList<>());
    byte[] unknown = new ControlPacket(42, 9, new byte[] {1, 2}).toBytes();
    List<byte[]> rej = sent(a.receive(unknown, 0));
    assertThat(rej).singleElement().satisfies(p -> {
      ControlPacket cj = ControlPacket.parse(java.nio.ByteBuffer.wrap(p));
      assertThat(cj.code()).isEqualTo(Code.CODE_REJECT);
      assertThat(cj.data()).isEqualTo(unknown);
    });
    List<byte[]> echo = sent(a.receive(new ControlPacket(Code.ECHO_REQUEST, 3, new byte[] {0, 0, 0, 0, 9}).toBytes(), 0));
    assertThat(ControlPacket.parse(java.nio.ByteBuffer.wrap(echo.getFirst())))
        .isEqualTo(new ControlPacket(Code.ECHO_REPLY, 3, new byte[] {0x11, 0x22, 0x33, 0x44, 9}));
    assertThat(a.state()).isEqualTo(State.OPENED);
  }

  @Test
  void ipcpTreatsLcpOnlyCodesAsUnknown() {
    ControlProtocol ipcp = new ControlProtocol(new MruNegotiator(), Timers.RFC_DEFAULTS, Options.DEFAULT, false, 1);
    ipcp.open(0);
    ipcp.up(0);
    List<Output> out = ipcp.receive(new ControlPacket(Code.ECHO_REQUEST, 1, new byte[4]).toBytes(), 0);
    assertThat(sent(out)).singleElement().satisfies(p -> assertThat(p[0]).isEqualTo((byte) Code.CODE_REJECT));
  }

  @Test
  void malformedAndStalePacketsAreDroppedWithAReason() {
    ControlProtocol a = new ControlProtocol(new MruNegotiator(), Timers.RFC_DEFAULTS, Options.DEFAULT, true, 1);
    a.open(0);
    a.up(0);
    assertThat(a.receive(new byte[] {1, 1, 0}, 0)).singleElement().isInstanceOf(Output.Dropped.class);
    assertThat(a.receive(new byte[] {1, 1, 0, 9, 1}, 0)).singleElement().isInstanceOf(Output.Dropped.class);
    // option with Length 1 inside a valid packet
    assertThat(a.receive(new byte[] {1, 1, 0, 6, 1, 1}, 0)).singleElement().isInstanceOf(Output.Dropped.class);
    // an Ack with the wrong identifier is discarded (RFC 1661 §5.2)
    assertThat(a.receive(new ControlPacket(Code.CONFIGURE_ACK, 200, ConfigOption.toBytes(List.of(ConfigOption.u16(1, 1492)))).toBytes(), 0))
        .singleElement().isInstanceOf(Output.Dropped.class);
    assertThat(a.state()).isEqualTo(State.REQ_SENT);
  }
}
