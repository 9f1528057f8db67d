package net.tinyisp.ppp.link;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import net.tinyisp.ppp.Protocols;
import net.tinyisp.ppp.auth.ChapPacket;
import net.tinyisp.ppp.auth.PapPacket;
import net.tinyisp.ppp.fsm.ControlProtocol;
import net.tinyisp.ppp.fsm.Options;
import net.tinyisp.ppp.fsm.Output;
import net.tinyisp.ppp.fsm.State;
import net.tinyisp.ppp.fsm.Timers;
import net.tinyisp.ppp.ipv6cp.Ipv6cpNegotiator;
import net.tinyisp.ppp.lcp.AuthMethod;
import net.tinyisp.ppp.lcp.ClientLcpNegotiator;
import net.tinyisp.ppp.wire.ControlPacket;
import net.tinyisp.ppp.wire.MalformedPacketException;

/**
 * A subscriber's side of a PPP link, built from the same automaton and codecs as the access concentrator's: LCP,
 * then PAP or CHAP-MD5 as the AC asks, then IPv6CP; IPCP is never started (an IPv6-only router). Pure, like
 * {@link PppLink}; used by the load-test client and by tests that need many real-behaving subscribers.
 */
public final class ClientLink {
  private final String username;
  private final byte[] password;
  private final ClientLcpNegotiator lcpOptions;
  private final ControlProtocol lcp;
  private final Ipv6cpNegotiator ipv6cpOptions;
  private final ControlProtocol ipv6cp;
  private final long restartNanos;
  private boolean authenticated;
  private boolean finished;
  private long papRetransmit = -1;
  private int papSends;

  public ClientLink(String username, byte[] password, List<AuthMethod> allowed, RandomGenerator random) {
    this.username = username;
    this.password = password.clone();
    this.lcpOptions = new ClientLcpNegotiator(allowed, random);
    this.lcp = new ControlProtocol(lcpOptions, Timers.RFC_DEFAULTS, Options.DEFAULT, true, 1);
    this.ipv6cpOptions = new Ipv6cpNegotiator(random);
    this.ipv6cp = new ControlProtocol(ipv6cpOptions, Timers.RFC_DEFAULTS, Options.DEFAULT, false, 1);
    this.restartNanos = Timers.RFC_DEFAULTS.restart().toNanos();
  }

  public boolean isUp() {
    return ipv6cp.state() == State.OPENED;
  }

  public boolean isFinished() {
    return finished;
  }

  /** The PPPoE session exists (PADS received): start LCP. */
  public List<ClientEvent> start(long now) {
    List<ClientEvent> out = new ArrayList<>();
    lcp.open(now);
    lcpOutputs(lcp.up(now), now, out);
    return out;
  }

  /** Ends the link from the subscriber's side (LCP Terminate-Request). */
  public List<ClientEvent> close(long now) {
    List<ClientEvent> out = new ArrayList<>();
    ipv6Outputs(ipv6cp.close(now), out);
    lcpOutputs(lcp.close(now), now, out);
    return out;
  }

  public long deadline() {
    long d = -1;
    for (long t : new long[] {lcp.deadline(), ipv6cp.deadline(), papRetransmit}) {
      if (t >= 0 && (d < 0 || t < d)) d = t;
    }
    return d;
  }

  public List<ClientEvent> tick(long now) {
    List<ClientEvent> out = new ArrayList<>();
    lcpOutputs(lcp.tick(now), now, out);
    ipv6Outputs(ipv6cp.tick(now), out);
    if (papRetransmit >= 0 && now >= papRetransmit && !authenticated) {
      if (papSends < Timers.RFC_DEFAULTS.maxConfigure()) sendPap(now, out);
      else papRetransmit = -1;
    }
    return out;
  }

  public List<ClientEvent> receive(int protocol, byte[] payload, long now) {
    List<ClientEvent> out = new ArrayList<>();
    try {
      switch (protocol) {
        case Protocols.LCP -> lcpOutputs(lcp.receive(payload, now), now, out);
        case Protocols.CHAP -> chap(ControlPacket.parse(ByteBuffer.wrap(payload)), now, out);
        case Protocols.PAP -> pap(ControlPacket.parse(ByteBuffer.wrap(payload)), now, out);
        case Protocols.IPV6CP -> {
          if (authenticated) ipv6Outputs(ipv6cp.receive(payload, now), out);
        }
        case Protocols.IPV6 -> {
          if (isUp()) out.add(new ClientEvent.Ipv6Packet(payload));
        }
        default -> { }
      }
    } catch (MalformedPacketException e) {
      // a broken frame from the AC: ignored, as pppd does
    }
    return out;
  }

  private void chap(ControlPacket p, long now, List<ClientEvent> out) {
    switch (p.code()) {
      case ChapPacket.CHALLENGE -> {
        ChapPacket.ValueAndName c = ChapPacket.parseValue(p);
        byte[] response = ChapPacket.md5Response(c.identifier(), password, c.value());
        out.add(new ClientEvent.Send(Protocols.CHAP,
            ChapPacket.value(ChapPacket.RESPONSE, c.identifier(), response, username).toBytes()));
      }
      case ChapPacket.SUCCESS -> authenticatedNow(now, out);
      case ChapPacket.FAILURE -> out.add(new ClientEvent.AuthFailed(new String(p.data(), StandardCharsets.UTF_8)));
      default -> { }
    }
  }

  private void pap(ControlPacket p, long now, List<ClientEvent> out) {
    if (p.code() == PapPacket.AUTHENTICATE_ACK) {
      papRetransmit = -1;
      authenticatedNow(now, out);
    } else if (p.code() == PapPacket.AUTHENTICATE_NAK) {
      papRetransmit = -1;
      out.add(new ClientEvent.AuthFailed(PapPacket.message(p)));
    }
  }

  private void authenticatedNow(long now, List<ClientEvent> out) {
    if (authenticated) return;
    authenticated = true;
    ipv6cp.open(now);
    ipv6Outputs(ipv6cp.up(now), out);
  }

  private void sendPap(long now, List<ClientEvent> out) {
    papSends++;
    out.add(new ClientEvent.Send(Protocols.PAP, PapPacket.request(papSends & 0xff, username, password).toBytes()));
    papRetransmit = now + restartNanos;
  }

  private void lcpOutputs(List<Output> outputs, long now, List<ClientEvent> out) {
    for (Output o : outputs) {
      switch (o) {
        case Output.Send s -> out.add(new ClientEvent.Send(Protocols.LCP, s.packet().toBytes()));
        case Output.LayerUp u -> {
          if (lcpOptions.auth() == AuthMethod.PAP) sendPap(now, out);
          else if (lcpOptions.auth() == null) authenticatedNow(now, out);
        }
        case Output.LayerFinished f -> {
          finished = true;
          out.add(new ClientEvent.Finished("LCP finished"));
        }
        default -> { }
      }
    }
  }

  private void ipv6Outputs(List<Output> outputs, List<ClientEvent> out) {
    for (Output o : outputs) {
      switch (o) {
        case Output.Send s -> out.add(new ClientEvent.Send(Protocols.IPV6CP, s.packet().toBytes()));
        case Output.LayerUp u -> out.add(new ClientEvent.Up(ipv6cpOptions.localIdentifier(), ipv6cpOptions.peerIdentifier()));
        default -> { }
      }
    }
  }


}
