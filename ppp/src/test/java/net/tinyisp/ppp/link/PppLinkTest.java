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
    // dual-stack subscribers also run IPCP (RFC 1332), asking for 0.0.0.0 and the RFC 1877 DNS options
    ControlProtocol ipcp;
    final ClientIpcp ipcpOptions = new ClientIpcp();
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
        case Protocols.IPCP -> {
          if (ipcp != null) collect(Protocols.IPCP, ipcp.receive(s.payload(), 0));
        }
        default -> { }
      }
    }

    void startIpv6cp() {
      ipv6cp.open(0);
      collect(Protocols.IPV6CP, ipv6cp.up(0));
      if (ipcp != null) {
        ipcp.open(0);
        collect(Protocols.IPCP, ipcp.up(0));
      }
    }
  }

  /** A subscriber's IPCP options as pppd sends them: IP-Address, Primary- and Secondary-DNS, all 0.0.0.0 at first. */
  static final class ClientIpcp implements Negotiator {
    byte[] address = new byte[4];
    byte[] dns1 = new byte[4];
    byte[] dns2 = new byte[4];
    boolean askDns2 = true;

    @Override
    public List<ConfigOption> request() {
      List<ConfigOption> r = new ArrayList<>(List.of(new ConfigOption(3, address), new ConfigOption(129, dns1)));
      if (askDns2) r.add(new ConfigOption(131, dns2));
      return r;
    }

    @Override
    public Verdict check(List<ConfigOption> peer) {
      return new Verdict(Code.CONFIGURE_ACK, peer);
    }

    @Override
    public void acked(List<ConfigOption> ours) {}

    @Override
    public void nakked(List<ConfigOption> suggestions) {
      for (ConfigOption o : suggestions) {
        switch (o.type()) {
          case 3 -> address = o.data();
          case 129 -> dns1 = o.data();
          case 131 -> dns2 = o.data();
          default -> { }
        }
      }
    }

    @Override
    public boolean rejected(List<ConfigOption> r) {
      if (r.stream().anyMatch(o -> o.type() == 131)) askDns2 = false;
      return true;
    }
  }

  private final List<LinkEvent> events = new ArrayList<>();
  private net.tinyisp.ppp.ipcp.Ipv4Assignment ipv4;

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
            next.addAll(ac.authenticated(java.util.Arrays.equals(expected, c.response()), null, ipv4, now));
          }
          case LinkEvent.PapCredentials p ->
              next.addAll(ac.authenticated(new String(p.password(), StandardCharsets.UTF_8).equals("secret"), null, ipv4, now));
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

  private static java.net.Inet4Address v4(String a) throws Exception {
    return (java.net.Inet4Address) java.net.InetAddress.getByName(a);
  }

  @Test
  void dualStackLinkNegotiatesIpcpWithTheAssignedAddressAndDns() throws Exception {
    PppLink ac = new PppLink(new LinkConfig(net.tinyisp.ppp.lcp.LcpConfig.DEFAULTS, Timers.RFC_DEFAULTS,
        java.time.Duration.ofSeconds(30), true, "bng"), new SplittableRandom(42));
    ipv4 = new net.tinyisp.ppp.ipcp.Ipv4Assignment(v4("198.51.100.1"), v4("198.51.100.23"), v4("203.0.113.53"), null);
    Subscriber sub = new Subscriber(false, "secret");
    sub.ipcp = new ControlProtocol(sub.ipcpOptions, Timers.RFC_DEFAULTS, Options.DEFAULT, false, 70);
    sub.start();
    run(ac, sub, ac.start(0), 0);
    // RFC 1332 §3.3: 0.0.0.0 is Nak'd with the assigned address; RFC 1877: Primary-DNS Nak'd with ours, the
    // Secondary-DNS we do not have is Rejected and the subscriber stops asking for it
    assertThat(ac.ipcpState()).isEqualTo(State.OPENED);
    assertThat(sub.ipcp.state()).isEqualTo(State.OPENED);
    assertThat(sub.ipcpOptions.address).containsExactly(198, 51, 100, 23);
    assertThat(sub.ipcpOptions.dns1).containsExactly(203, 0, 113, 53);
    assertThat(events).contains(new LinkEvent.Ipv4Up(v4("198.51.100.23")));
    assertThat(ac.ipv6cpState()).isEqualTo(State.OPENED); // IPv6 alongside
    byte[] packet = new byte[20];
    packet[0] = 0x45;
    assertThat(ac.receive(Protocols.IPV4, packet, 0)).singleElement().isInstanceOf(LinkEvent.Ipv4Packet.class);
    // the hang-up takes IPCP down once, like IPv6CP
    events.clear();
    run(ac, sub, ac.close(TerminateCause.ADMIN_RESET, S), S);
    assertThat(events).containsOnlyOnce(new LinkEvent.Ipv4Down());
    assertThat(events).contains(new LinkEvent.Finished(TerminateCause.ADMIN_RESET));
  }

  @Test
  void withoutAnIpv4AssignmentIpcpAndIpv4AreProtocolRejected() {
    PppLink ac = link();
    Subscriber sub = new Subscriber(false, "secret");
    sub.start();
    run(ac, sub, ac.start(0), 0);
    byte[] packet = new byte[20];
    packet[0] = 0x45;
    run(ac, sub, ac.receive(Protocols.IPV4, packet, 0), 0);
    assertThat(sub.protocolRejects).isEqualTo(1);
    assertThat(ac.ipcpState()).isNull();
  }
}
