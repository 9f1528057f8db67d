package net.tinyisp.ppp.link;

import java.nio.ByteBuffer;
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
import net.tinyisp.ppp.ipcp.IpcpNegotiator;
import net.tinyisp.ppp.ipcp.Ipv4Assignment;
import net.tinyisp.ppp.ipv6cp.Ipv6cpNegotiator;
import net.tinyisp.ppp.lcp.AuthMethod;
import net.tinyisp.ppp.lcp.LcpNegotiator;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ControlPacket;
import net.tinyisp.ppp.wire.MalformedPacketException;

/**
 * One subscriber's PPP link from the access concentrator's side, through the RFC 1661 §3.2 phases: Establish (LCP),
 * Authenticate (PAP or CHAP-MD5, decided by RADIUS through the caller), Network (IPv6CP; IPCP Protocol-Rejected
 * unless dual-stack), Terminate. Pure: PPP payloads and a time in, {@link LinkEvent}s out; the PPPoE session sends
 * the packets, asks RADIUS and moves IPv6 packets. One link's calls must not run concurrently.
 */
public final class PppLink {
  private final LinkConfig config;
  private final RandomGenerator random;
  private final LcpNegotiator lcpOptions;
  private final ControlProtocol lcp;
  private final Ipv6cpNegotiator ipv6cpOptions;
  private final ControlProtocol ipv6cp;
  private final long echoIntervalNanos;
  // dual-stack: created once RADIUS has accepted and an IPv4 address is assigned; null = IPCP Protocol-Rejected
  private ControlProtocol ipcp;
  private Ipv4Assignment ipv4;

  private Phase phase = Phase.DEAD;
  // our first Configure-Request waits for the subscriber's (or this deadline): see start()
  private long lowerUpDeadline = -1;
  private TerminateCause pendingCause;
  private long authDeadline = -1;
  private long nextEcho = -1;
  private int echoesOutstanding;
  private int echoId;
  // CHAP: the challenge in flight and its retransmissions
  private int chapId;
  private byte[] challenge;
  private long chapRetransmit = -1;
  private int chapSends;
  private boolean authPending;
  private String username;

  public PppLink(LinkConfig config, RandomGenerator random) {
    this.config = config;
    this.random = random;
    this.lcpOptions = new LcpNegotiator(config.lcp(), random);
    this.lcp = new ControlProtocol(lcpOptions, config.timers(), Options.DEFAULT, true, random.nextInt(256));
    this.ipv6cpOptions = new Ipv6cpNegotiator(random);
    this.ipv6cp = new ControlProtocol(ipv6cpOptions, config.timers(), Options.DEFAULT, false, random.nextInt(256));
    this.echoIntervalNanos = config.lcp().echoInterval().toNanos();
  }

  public Phase phase() {
    return phase;
  }

  /** The name the subscriber authenticated with (PAP Peer-ID or CHAP Name), once known. */
  public String username() {
    return username;
  }

  public State lcpState() {
    return lcp.state();
  }

  public State ipv6cpState() {
    return ipv6cp.state();
  }

  /** IPCP's state, null when this link does not run IPCP (IPv6-only, or no IPv4 address was assigned). */
  public State ipcpState() {
    return ipcp == null ? null : ipcp.state();
  }

  public int peerMru() {
    return lcpOptions.peerMru();
  }

  /**
   * The PPPoE session exists (PADS sent): LCP is opened, but our first Configure-Request waits until the subscriber
   * speaks (its own Configure-Request follows the PADS at once) or {@link #FIRST_REQUEST_WAIT} passes. pppd
   * discards a Configure-Request that arrives before it has set up the session, and then LCP only opens on our
   * retransmission 3 s later: that was most of the setup time seen with real routers.
   */
  public List<LinkEvent> start(long now) {
    phase = Phase.ESTABLISH;
    lcp.open(now);
    lowerUpDeadline = now + FIRST_REQUEST_WAIT;
    return new ArrayList<>();
  }

  /** How long our first Configure-Request waits for the subscriber's (RFC 1661 leaves the order open). */
  public static final long FIRST_REQUEST_WAIT = 1_000_000_000L;

  private void lowerUp(long now, List<LinkEvent> out) {
    if (lowerUpDeadline < 0) return;
    lowerUpDeadline = -1;
    handleLcp(lcp.up(now), now, out);
  }

  /** Ends the link from our side (admin, RADIUS Disconnect, session timeout): LCP Terminate-Request first. */
  public List<LinkEvent> close(TerminateCause cause, long now) {
    List<LinkEvent> out = new ArrayList<>();
    if (phase == Phase.DEAD) return out;
    lowerUpDeadline = -1; // LCP never started: Close in Starting finishes at once (RFC 1661 §4.1: tlf/0)
    pendingCause = cause;
    handleIpv6cp(ipv6cp.close(now), now, out);
    if (ipcp != null) handleIpcp(ipcp.close(now), out);
    handleLcp(lcp.close(now), now, out);
    return out;
  }

  /** The lower layer is gone (PADT from the client, interface down): no more packets can be sent. */
  public List<LinkEvent> lowerDown(TerminateCause cause, long now) {
    List<LinkEvent> out = new ArrayList<>();
    if (phase == Phase.DEAD) return out;
    pendingCause = cause;
    ncpDown(now, out);
    lcp.down(now);
    finish(cause, out);
    return out;
  }

  /** The RADIUS verdict on the credentials the link asked about (IPv6 only). */
  public List<LinkEvent> authenticated(boolean accepted, String message, long now) {
    return authenticated(accepted, message, null, now);
  }

  /**
   * The RADIUS verdict, with the subscriber's IPv4 assignment when the link is dual-stack ({@link LinkConfig#ipcp}):
   * then IPCP is opened next to IPv6CP. Without an assignment IPCP stays Protocol-Rejected.
   */
  public List<LinkEvent> authenticated(boolean accepted, String message, Ipv4Assignment ipv4, long now) {
    List<LinkEvent> out = new ArrayList<>();
    if (!authPending || phase != Phase.AUTHENTICATE) return out;
    authPending = false;
    authDeadline = -1;
    String text = message != null ? message : accepted ? "Welcome" : "Authentication failed";
    if (lcpOptions.agreedAuth() == AuthMethod.PAP) {
      out.add(new LinkEvent.Send(Protocols.PAP, PapPacket.reply(accepted, chapId, text).toBytes()));
    } else {
      out.add(new LinkEvent.Send(Protocols.CHAP, ChapPacket.result(accepted, chapId, text).toBytes()));
    }
    if (!accepted) {
      // RFC 1994 §4.2: after a Failure the authenticator SHOULD terminate the link
      out.addAll(close(TerminateCause.USER_ERROR, now));
      return out;
    }
    phase = Phase.NETWORK;
    ipv6cp.open(now);
    handleIpv6cp(ipv6cp.up(now), now, out);
    if (config.ipcp() && ipv4 != null) {
      this.ipv4 = ipv4;
      ipcp = new ControlProtocol(new IpcpNegotiator(ipv4.local(), ipv4.peer(), ipv4.dns1(), ipv4.dns2()), config.timers(),
          Options.DEFAULT, false, random.nextInt(256));
      ipcp.open(now);
      handleIpcp(ipcp.up(now), out);
    }
    return out;
  }

  /** When {@link #tick} must run next; -1 when nothing is scheduled. */
  public long deadline() {
    long d = -1;
    for (long t : new long[] {lcp.deadline(), ipv6cp.deadline(), ipcp == null ? -1 : ipcp.deadline(), authDeadline,
        nextEcho, chapRetransmit, lowerUpDeadline}) {
      if (t >= 0 && (d < 0 || t < d)) d = t;
    }
    return d;
  }

  public List<LinkEvent> tick(long now) {
    List<LinkEvent> out = new ArrayList<>();
    if (lowerUpDeadline >= 0 && now >= lowerUpDeadline) lowerUp(now, out);
    handleLcp(lcp.tick(now), now, out);
    handleIpv6cp(ipv6cp.tick(now), now, out);
    if (ipcp != null) handleIpcp(ipcp.tick(now), out);
    if (authDeadline >= 0 && now >= authDeadline) {
      authDeadline = -1;
      out.addAll(close(TerminateCause.USER_ERROR, now));
    }
    if (chapRetransmit >= 0 && now >= chapRetransmit) {
      if (chapSends < config.timers().maxConfigure()) sendChallenge(now, out);
      else chapRetransmit = -1;
    }
    if (nextEcho >= 0 && now >= nextEcho && lcp.state() == State.OPENED) {
      if (echoesOutstanding >= config.lcp().echoFailure()) {
        // pppd's lcp-echo-failure: the peer is gone; no Terminate-Request can reach it
        nextEcho = -1;
        out.addAll(lowerDown(TerminateCause.LOST_CARRIER, now));
        return out;
      }
      echoesOutstanding++;
      byte[] data = ByteBuffer.allocate(4).putInt(lcpOptions.localMagic()).array();
      out.add(new LinkEvent.Send(Protocols.LCP, new ControlPacket(Code.ECHO_REQUEST, echoId++ & 0xff, data).toBytes()));
      nextEcho = now + echoIntervalNanos;
    }
    return out;
  }

  /** A PPP packet from the subscriber: {@code protocol} and information field. */
  public List<LinkEvent> receive(int protocol, byte[] payload, long now) {
    List<LinkEvent> out = new ArrayList<>();
    if (phase == Phase.DEAD) {
      out.add(new LinkEvent.Dropped("link is down"));
      return out;
    }
    switch (protocol) {
      case Protocols.LCP -> {
        lowerUp(now, out); // the subscriber is ready: our Configure-Request goes out first, then we answer its
        handleLcp(lcp.receive(payload, now), now, out);
      }
      case Protocols.PAP -> receivePap(payload, now, out);
      case Protocols.CHAP -> receiveChap(payload, now, out);
      case Protocols.IPV6CP -> {
        // RFC 1661 §3.4-3.5: NCP packets before the Network phase are silently discarded
        if (phase == Phase.NETWORK) handleIpv6cp(ipv6cp.receive(payload, now), now, out);
        else out.add(new LinkEvent.Dropped("IPv6CP before the Network phase"));
      }
      case Protocols.IPV6 -> {
        if (ipv6cp.state() == State.OPENED) out.add(new LinkEvent.Ipv6Packet(payload));
        else out.add(new LinkEvent.Dropped("IPv6 before IPv6CP is Opened"));
      }
      // dual-stack: IPCP once the link has an IPv4 assignment; before the Network phase discarded like IPv6CP
      // (§3.4); on an IPv6-only link, or one without an address, Protocol-Rejected below
      case Protocols.IPCP -> {
        if (ipcp != null) handleIpcp(ipcp.receive(payload, now), out);
        else if (config.ipcp() && phase != Phase.NETWORK) out.add(new LinkEvent.Dropped("IPCP before the Network phase"));
        else protocolReject(protocol, payload, out);
      }
      case Protocols.IPV4 -> {
        if (ipcp != null && ipcp.state() == State.OPENED) out.add(new LinkEvent.Ipv4Packet(payload));
        else if (ipcp != null) out.add(new LinkEvent.Dropped("IPv4 before IPCP is Opened"));
        else protocolReject(protocol, payload, out);
      }
      default -> protocolReject(protocol, payload, out);
    }
    return out;
  }

  /** RFC 1661 §5.7: an unsupported protocol (IPCP on an IPv6-only AC too) gets LCP Protocol-Reject when Opened. */
  private void protocolReject(int protocol, byte[] payload, List<LinkEvent> out) {
    if (lcp.state() != State.OPENED) {
      out.add(new LinkEvent.Dropped("protocol " + Protocols.name(protocol) + " before LCP is Opened"));
      return;
    }
    int room = Math.min(payload.length, lcpOptions.peerMru() - 6);
    ByteBuffer data = ByteBuffer.allocate(2 + room).putShort((short) protocol).put(payload, 0, room);
    out.add(new LinkEvent.Send(Protocols.LCP,
        new ControlPacket(Code.PROTOCOL_REJECT, echoId++ & 0xff, data.array()).toBytes()));
  }

  private void receivePap(byte[] payload, long now, List<LinkEvent> out) {
    if (phase != Phase.AUTHENTICATE || lcpOptions.agreedAuth() != AuthMethod.PAP) {
      out.add(new LinkEvent.Dropped("PAP outside its Authenticate phase"));
      return;
    }
    try {
      PapPacket.Request r = PapPacket.parseRequest(ControlPacket.parse(ByteBuffer.wrap(payload)));
      if (authPending) return; // a retransmission while RADIUS is deciding: one answer will follow
      chapId = r.identifier();
      username = r.peerId();
      authPending = true;
      out.add(new LinkEvent.PapCredentials(r.peerId(), r.password()));
    } catch (MalformedPacketException e) {
      out.add(new LinkEvent.Dropped("malformed PAP: " + e.getMessage(), true));
    }
  }

  private void receiveChap(byte[] payload, long now, List<LinkEvent> out) {
    if (phase != Phase.AUTHENTICATE || lcpOptions.agreedAuth() != AuthMethod.CHAP_MD5) {
      out.add(new LinkEvent.Dropped("CHAP outside its Authenticate phase"));
      return;
    }
    try {
      ControlPacket p = ControlPacket.parse(ByteBuffer.wrap(payload));
      if (p.code() != ChapPacket.RESPONSE) {
        out.add(new LinkEvent.Dropped("CHAP code " + p.code() + " from the subscriber"));
        return;
      }
      ChapPacket.ValueAndName v = ChapPacket.parseValue(p);
      if (v.identifier() != chapId || authPending) {
        out.add(new LinkEvent.Dropped("CHAP Response to another Challenge"));
        return;
      }
      chapRetransmit = -1;
      username = v.name();
      authPending = true;
      out.add(new LinkEvent.ChapCredentials(v.name(), v.identifier(), challenge.clone(), v.value()));
    } catch (MalformedPacketException e) {
      out.add(new LinkEvent.Dropped("malformed CHAP: " + e.getMessage(), true));
    }
  }

  private void sendChallenge(long now, List<LinkEvent> out) {
    chapSends++;
    out.add(new LinkEvent.Send(Protocols.CHAP,
        ChapPacket.value(ChapPacket.CHALLENGE, chapId, challenge, config.authName()).toBytes()));
    chapRetransmit = now + config.timers().restart().toNanos();
  }

  private void handleLcp(List<Output> outputs, long now, List<LinkEvent> out) {
    for (Output o : outputs) {
      switch (o) {
        case Output.Send s -> out.add(new LinkEvent.Send(Protocols.LCP, s.packet().toBytes()));
        case Output.LayerUp u -> lcpUp(now, out);
        case Output.LayerDown d -> {
          ncpDown(now, out);
          nextEcho = -1;
          chapRetransmit = -1;
          authDeadline = -1;
          if (phase != Phase.DEAD) phase = Phase.TERMINATE;
        }
        case Output.LayerFinished f -> finish(pendingCause != null ? pendingCause : TerminateCause.USER_REQUEST, out);
        case Output.LayerStarted s -> { }
        case Output.ProtocolRejected r -> {
          if (r.protocol() == Protocols.IPV6CP) handleIpv6cp(ipv6cp.protocolRejected(now), now, out);
          if (r.protocol() == Protocols.IPCP && ipcp != null) handleIpcp(ipcp.protocolRejected(now), out);
        }
        case Output.EchoReplyReceived e -> echoesOutstanding = 0;
        case Output.Dropped d -> out.add(new LinkEvent.Dropped("LCP: " + d.reason(), d.malformed()));
      }
    }
  }

  private void lcpUp(long now, List<LinkEvent> out) {
    phase = Phase.AUTHENTICATE;
    authDeadline = now + config.authTimeout().toNanos();
    if (echoIntervalNanos > 0) nextEcho = now + echoIntervalNanos;
    if (lcpOptions.agreedAuth() == AuthMethod.CHAP_MD5) {
      chapId = random.nextInt(256);
      challenge = new byte[16];
      random.nextBytes(challenge);
      chapSends = 0;
      sendChallenge(now, out);
    }
  }

  /**
   * RFC 1661 §3.4: LCP leaving Opened is the NCPs' Down event. It must reach an NCP once: the subscriber's usual
   * hang-up (IPv6CP and LCP Terminate-Request, then PADT) takes LCP down first and then the lower layer, and a second
   * Down in Starting is an impossible event (§4.1 "-") that was counted as one ppp_protocol drop per session.
   */
  private void ncpDown(long now, List<LinkEvent> out) {
    State s = ipv6cp.state();
    if (s != State.INITIAL && s != State.STARTING) handleIpv6cp(ipv6cp.down(now), now, out);
    if (ipcp != null && ipcp.state() != State.INITIAL && ipcp.state() != State.STARTING) handleIpcp(ipcp.down(now), out);
  }

  private void handleIpcp(List<Output> outputs, List<LinkEvent> out) {
    for (Output o : outputs) {
      switch (o) {
        case Output.Send s -> out.add(new LinkEvent.Send(Protocols.IPCP, s.packet().toBytes()));
        case Output.LayerUp u -> out.add(new LinkEvent.Ipv4Up(ipv4.peer()));
        case Output.LayerDown d -> out.add(new LinkEvent.Ipv4Down());
        case Output.Dropped d -> out.add(new LinkEvent.Dropped("IPCP: " + d.reason(), d.malformed()));
        default -> { }
      }
    }
  }

  private void handleIpv6cp(List<Output> outputs, long now, List<LinkEvent> out) {
    for (Output o : outputs) {
      switch (o) {
        case Output.Send s -> out.add(new LinkEvent.Send(Protocols.IPV6CP, s.packet().toBytes()));
        case Output.LayerUp u -> out.add(new LinkEvent.Ipv6Up(ipv6cpOptions.localIdentifier(), ipv6cpOptions.peerIdentifier()));
        case Output.LayerDown d -> out.add(new LinkEvent.Ipv6Down());
        case Output.Dropped d -> out.add(new LinkEvent.Dropped("IPv6CP: " + d.reason(), d.malformed()));
        default -> { }
      }
    }
  }

  private void finish(TerminateCause cause, List<LinkEvent> out) {
    if (phase == Phase.DEAD) return;
    phase = Phase.DEAD;
    nextEcho = -1;
    chapRetransmit = -1;
    authDeadline = -1;
    out.add(new LinkEvent.Finished(cause));
  }
}
