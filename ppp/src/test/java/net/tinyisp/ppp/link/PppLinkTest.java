package net.tinyisp.ppp.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.tinyisp.ppp.Protocols;
import net.tinyisp.ppp.auth.ChapPacket;
import net.tinyisp.ppp.auth.PapPacket;
import net.tinyisp.ppp.fsm.ControlProtocol;
import net.tinyisp.ppp.fsm.Negotiator;
import net.tinyisp.ppp.fsm.Options;
import net.tinyisp.ppp.fsm.Output;
import net.tinyisp.ppp.fsm.State;
import net.tinyisp.ppp.fsm.Timers;
import net.tinyisp.ppp.ipv6cp.Ipv6cpNegotiator;
import net.tinyisp.ppp.lcp.AuthMethod;
import net.tinyisp.ppp.lcp.LcpOption;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;
import net.tinyisp.ppp.wire.ControlPacket;
import org.junit.jupiter.api.Test;

/**
 * The access concentrator's link against a scripted subscriber built from the same codecs (as pppd behaves: it
 * asks for MRU and a Magic-Number, accepts the AC's authentication method or Naks it to PAP, answers CHAP).
 */
class PppLinkTest {
  private static final long S = 1_000_000_000L;

  /** The subscriber's LCP options: MRU 1492 + magic; accepts CHAP, or only PAP when {@code papOnly}. */
  static final class ClientLcp implements Negotiator {
    final boolean papOnly;
    AuthMethod agreed;

    ClientLcp(boolean papOnly) {
      this.papOnly = papOnly;
    }

    @Override
    public List<ConfigOption> request() {
      return List.of(ConfigOption.u16(LcpOption.MRU, 1492), ConfigOption.u32(LcpOption.MAGIC_NUMBER, 0x0badcafe));
    }

    @Override
    public Verdict check(List<ConfigOption> peer) {
      for (ConfigOption o : peer) {
        if (o.type() == LcpOption.AUTH_PROTOCOL && papOnly && AuthMethod.of(o) != AuthMethod.PAP) {
          return new Verdict(Code.CONFIGURE_NAK, List.of(AuthMethod.PAP.option()));
        }
        if (o.type() == LcpOption.AUTH_PROTOCOL) agreed = AuthMethod.of(o);
      }
      return new Verdict(Code.CONFIGURE_ACK, peer);
    }

    @Override
    public void acked(List<ConfigOption> ours) {}

    @Override
    public void nakked(List<ConfigOption> s) {}

    @Override
    public boolean rejected(List<ConfigOption> r) {
      return true;
    }
  }

  /** A subscriber: its LCP and IPv6CP automatons and a password; answers what the AC sends. */
  static final class Subscriber {
    final ClientLcp lcpOptions;
    final ControlProtocol lcp;
    final ControlProtocol ipv6cp = new ControlProtocol(new Ipv6cpNegotiator(new SplittableRandom(9)),
        Timers.RFC_DEFAULTS, Options.DEFAULT, false, 50);
    final String password;
    final List<LinkEvent.Send> toAc = new ArrayList<>();
    boolean silent;
    int protocolRejects;
    String authResult;

    Subscriber(boolean papOnly, String password) {
      this.lcpOptions = new ClientLcp(papOnly);
      this.lcp = new ControlProtocol(lcpOptions, Timers.RFC_DEFAULTS, Options.DEFAULT, true, 1);
      this.password = password;
    }

    void start() {
      lcp.open(0);
      collect(Protocols.LCP, lcp.up(0));
    }

    void collect(int protocol, List<Output> outs) {
      for (Output o : outs) {
        if (o instanceof Output.Send s) toAc.add(new LinkEvent.Send(protocol, s.packet().toBytes()));
        if (o instanceof Output.LayerUp && protocol == Protocols.LCP && lcpOptions.agreed == AuthMethod.PAP) {
          toAc.add(new LinkEvent.Send(Protocols.PAP,
              PapPacket.request(1, "alice", password.getBytes(StandardCharsets.UTF_8)).toBytes()));
        }
      }
    }

    void fromAc(LinkEvent.Send s) {
      if (silent) return;
      ControlPacket p = ControlPacket.parse(ByteBuffer.wrap(s.payload()));
      switch (s.protocol()) {
        case Protocols.LCP -> {
          if (p.code() == Code.PROTOCOL_REJECT) protocolRejects++;
          collect(Protocols.LCP, lcp.receive(s.payload(), 0));
        }
        case Protocols.CHAP -> {
          if (p.code() == ChapPacket.CHALLENGE) {
            ChapPacket.ValueAndName c = ChapPacket.parseValue(p);
            byte[] r = ChapPacket.md5Response(c.identifier(), password.getBytes(StandardCharsets.UTF_8), c.value());
            toAc.add(new LinkEvent.Send(Protocols.CHAP, ChapPacket.value(ChapPacket.RESPONSE, c.identifier(), r, "alice").toBytes()));
          } else {
            authResult = p.code() == ChapPacket.SUCCESS ? "success" : "failure";
            if (p.code() == ChapPacket.SUCCESS) startIpv6cp();
          }
        }
        case Protocols.PAP -> {
          authResult = p.code() == PapPacket.AUTHENTICATE_ACK ? "success" : "failure";
          if (p.code() == PapPacket.AUTHENTICATE_ACK) startIpv6cp();
        }
        case Protocols.IPV6CP -> collect(Protocols.IPV6CP, ipv6cp.receive(s.payload(), 0));
        default -> { }
      }
    }

    void startIpv6cp() {
      ipv6cp.open(0);
      collect(Protocols.IPV6CP, ipv6cp.up(0));
    }
  }

  private final List<LinkEvent> events = new ArrayList<>();

  /** Runs both sides until quiet; credentials are checked against "secret" like RADIUS would. */
  private void run(PppLink ac, Subscriber sub, List<LinkEvent> initial, long now) {
    List<LinkEvent> pending = new ArrayList<>(initial);
    for (int round = 0; round < 50 && (!pending.isEmpty() || !sub.toAc.isEmpty()); round++) {
      List<LinkEvent> next = new ArrayList<>();
      for (LinkEvent e : pending) {
        events.add(e);
        switch (e) {
          case LinkEvent.Send s -> sub.fromAc(s);
          case LinkEvent.ChapCredentials c -> {
            byte[] expected = ChapPacket.md5Response(c.identifier(), "secret".getBytes(StandardCharsets.UTF_8), c.challenge());
            next.addAll(ac.authenticated(java.util.Arrays.equals(expected, c.response()), null, now));
          }
          case LinkEvent.PapCredentials p ->
              next.addAll(ac.authenticated(new String(p.password(), StandardCharsets.UTF_8).equals("secret"), null, now));
          default -> { }
        }
      }
      List<LinkEvent.Send> fromSub = new ArrayList<>(sub.toAc);
      sub.toAc.clear();
      for (LinkEvent.Send s : fromSub) next.addAll(ac.receive(s.protocol(), s.payload(), now));
      pending = next;
    }
  }

  private static PppLink link() {
    return new PppLink(LinkConfig.defaults("tinyisp-bng"), new SplittableRandom(42));
  }

  @Test
  void chapSubscriberReachesIpv6Up() {
    PppLink ac = link();
    Subscriber sub = new Subscriber(false, "secret");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    assertThat(sub.authResult).isEqualTo("success");
    assertThat(ac.phase()).isEqualTo(Phase.NETWORK);
    assertThat(ac.username()).isEqualTo("alice");
    assertThat(ac.ipv6cpState()).isEqualTo(State.OPENED);
    assertThat(sub.ipv6cp.state()).isEqualTo(State.OPENED);
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(LinkEvent.Ipv6Up.class));
    assertThat(events).filteredOn(e -> e instanceof LinkEvent.ChapCredentials).hasSize(1);
  }

  @Test
  void wrongChapPasswordGetsFailureAndTheLinkTerminates() {
    PppLink ac = link();
    Subscriber sub = new Subscriber(false, "wrong");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    assertThat(sub.authResult).isEqualTo("failure");
    assertThat(ac.lcpState()).isIn(State.CLOSING, State.CLOSED);
    // the subscriber acked our Terminate-Request: the link finishes
    assertThat(events).contains(new LinkEvent.Finished(TerminateCause.USER_ERROR));
    assertThat(ac.phase()).isEqualTo(Phase.DEAD);
  }

  @Test
  void papOnlySubscriberNaksToPapAndAuthenticates() {
    PppLink ac = link();
    Subscriber sub = new Subscriber(true, "secret");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(LinkEvent.PapCredentials.class));
    assertThat(sub.authResult).isEqualTo("success");
    assertThat(ac.ipv6cpState()).isEqualTo(State.OPENED);
  }

  @Test
  void ipcpIsProtocolRejectedOnAnIpv6OnlyLink() {
    PppLink ac = link();
    Subscriber sub = new Subscriber(false, "secret");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    byte[] ipcpReq = new ControlPacket(Code.CONFIGURE_REQUEST, 1, ConfigOption.toBytes(List.of(new ConfigOption(3, new byte[4])))).toBytes();
    run(ac, sub, ac.receive(Protocols.IPCP, ipcpReq, 0), 0);
    assertThat(sub.protocolRejects).isEqualTo(1);
  }

  @Test
  void silentSubscriberIsDetectedByLcpEchoAndEndsAsLostCarrier() {
    PppLink ac = link();
    Subscriber sub = new Subscriber(false, "secret");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    sub.silent = true; // the VM was killed
    long now = 0;
    List<LinkEvent> all = new ArrayList<>();
    for (int i = 0; i < 10 && ac.phase() != Phase.DEAD; i++) {
      now = ac.deadline();
      all.addAll(ac.tick(now));
    }
    assertThat(all).filteredOn(e -> e instanceof LinkEvent.Send s && s.protocol() == Protocols.LCP).hasSize(3);
    assertThat(all).contains(new LinkEvent.Finished(TerminateCause.LOST_CARRIER));
    assertThat(now).isEqualTo(4 * 20 * S); // 3 unanswered echoes 20 s apart, detected at the 4th interval
  }

  @Test
  void adminCloseSendsTerminateRequestAndFinishesWithThatCause() {
    PppLink ac = link();
    Subscriber sub = new Subscriber(false, "secret");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    run(ac, sub, ac.close(TerminateCause.ADMIN_RESET, S), S);
    assertThat(events).contains(new LinkEvent.Ipv6Down());
    assertThat(events).contains(new LinkEvent.Finished(TerminateCause.ADMIN_RESET));
    assertThat(sub.lcp.state()).isEqualTo(State.STOPPING);
  }

  @Test
  void ipv6PacketsFlowOnlyOnceIpv6cpIsOpened() {
    PppLink ac = link();
    assertThat(ac.receive(Protocols.IPV6, new byte[40], 0)).singleElement().isInstanceOf(LinkEvent.Dropped.class);
    Subscriber sub = new Subscriber(false, "secret");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    assertThat(ac.receive(Protocols.IPV6, new byte[40], 0)).singleElement().isInstanceOf(LinkEvent.Ipv6Packet.class);
  }

  @Test
  void subscriberHangUpThenPadtEndsTheLinkWithoutAnyDrop() {
    PppLink ac = link();
    Subscriber sub = new Subscriber(false, "secret");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    events.clear();
    // what pppd and the load client do: IPv6CP and LCP Terminate-Request, then PADT (the lower layer goes)
    sub.collect(Protocols.IPV6CP, sub.ipv6cp.close(S));
    sub.collect(Protocols.LCP, sub.lcp.close(S));
    run(ac, sub, List.of(), S);
    events.addAll(ac.lowerDown(TerminateCause.USER_REQUEST, S));
    assertThat(events).noneMatch(e -> e instanceof LinkEvent.Dropped);
    assertThat(events).containsOnlyOnce(new LinkEvent.Ipv6Down());
    assertThat(events).contains(new LinkEvent.Finished(TerminateCause.USER_REQUEST));
  }
}
