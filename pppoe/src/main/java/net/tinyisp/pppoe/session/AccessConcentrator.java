package net.tinyisp.pppoe.session;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import net.tinyisp.ppp.Protocols;
import net.tinyisp.ppp.link.LinkConfig;
import net.tinyisp.ppp.link.LinkEvent;
import net.tinyisp.ppp.link.PppLink;
import net.tinyisp.ppp.link.TerminateCause;
import net.tinyisp.pppoe.DropReason;
import net.tinyisp.pppoe.discovery.DiscoveryAction;
import net.tinyisp.pppoe.discovery.DiscoveryServer;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.MalformedFrameException;
import net.tinyisp.pppoe.wire.PppoeFrame;

/**
 * The access concentrator without I/O: discovery, then one {@link PppLink} per session, with session frames
 * (RFC 2516 §6) carrying PPP. Frames and a time in, {@link AcAction}s out. Single-threaded by design: the I/O layer
 * calls it from one loop (sessions are cheap, a few hundred bytes each, so 10,000 of them fit in a few MB).
 */
public final class AccessConcentrator {
  private final DiscoveryServer discovery;
  private final MacAddress ourMac;
  private final LinkConfig linkConfig;
  private final RandomGenerator random;
  private final SessionTable sessions = new SessionTable();
  private final LinkTimers timers = new LinkTimers();

  public AccessConcentrator(DiscoveryServer discovery, MacAddress ourMac, LinkConfig linkConfig, RandomGenerator random) {
    this.discovery = discovery;
    this.ourMac = ourMac;
    this.linkConfig = linkConfig;
    this.random = random;
  }

  public int sessionCount() {
    return sessions.size();
  }

  public List<AcAction> receive(byte[] frame, int length, long now) {
    List<AcAction> out = new ArrayList<>();
    PppoeFrame f;
    try {
      f = PppoeFrame.parse(frame, length);
    } catch (MalformedFrameException e) {
      out.add(new AcAction.Drop(switch (e.reason()) {
        case SHORT -> DropReason.MALFORMED_SHORT;
        case ETHERTYPE -> DropReason.MALFORMED_ETHERTYPE;
        case VERSION -> DropReason.MALFORMED_VERSION;
        case LENGTH -> DropReason.MALFORMED_LENGTH;
        case TAG -> DropReason.MALFORMED_TAG;
      }, e.getMessage()));
      return out;
    }
    if (f.etherType() == PppoeFrame.ETHERTYPE_DISCOVERY) {
      for (DiscoveryAction a : discovery.handle(f, now)) discovery(a, now, out);
    } else {
      sessionFrame(f, now, out);
    }
    return out;
  }

  private void discovery(DiscoveryAction a, long now, List<AcAction> out) {
    switch (a) {
      case DiscoveryAction.Send s -> out.add(new AcAction.SendFrame(s.frame().toBytes()));
      case DiscoveryAction.Drop d -> out.add(new AcAction.Drop(d.reason(), ""));
      case DiscoveryAction.SessionOpened o -> {
        PppLink link = new PppLink(linkConfig, random);
        SessionTable.Session s = new SessionTable.Session(o.sessionId(), o.client(), link, now);
        sessions.put(s);
        linkEvents(s, link.start(now), now, out);
      }
      case DiscoveryAction.SessionClosedByPeer c -> {
        SessionTable.Session s = sessions.get(c.sessionId());
        if (s != null) linkEvents(s, s.link().lowerDown(TerminateCause.USER_REQUEST, now), now, out);
      }
    }
  }

  private void sessionFrame(PppoeFrame f, long now, List<AcAction> out) {
    SessionTable.Session s = sessions.get(f.sessionId());
    if (s == null || !s.client().equals(f.source()) || f.code() != PppoeFrame.CODE_SESSION) {
      out.add(new AcAction.Drop(DropReason.UNKNOWN_SESSION, "session " + f.sessionId() + " from " + f.source()));
      return;
    }
    byte[] p = f.payload();
    if (p.length < 2) {
      out.add(new AcAction.Drop(DropReason.PPP_MALFORMED, "PPP frame without a protocol field"));
      return;
    }
    int protocol = (p[0] & 0xff) << 8 | p[1] & 0xff;
    byte[] info = java.util.Arrays.copyOfRange(p, 2, p.length);
    linkEvents(s, s.link().receive(protocol, info, now), now, out);
  }

  /**
   * Whether a session frame from {@code client} carrying PPP {@code protocol} (IPv6 or IPv4) is data that the link
   * would hand on as it is: the session exists, belongs to that MAC, and the protocol's NCP is Opened (RFC 1661
   * §3.5). The data plane uses it to pass such packets on without building the frame's objects; anything else goes
   * through {@link #receive}, which drops and counts it.
   */
  public boolean carriesData(int sessionId, long client, int protocol) {
    SessionTable.Session s = sessions.get(sessionId);
    if (s == null || s.client().value() != client) return false;
    return switch (protocol) {
      case net.tinyisp.ppp.Protocols.IPV6 -> s.link().ipv6cpState() == net.tinyisp.ppp.fsm.State.OPENED;
      case net.tinyisp.ppp.Protocols.IPV4 -> s.link().ipcpState() == net.tinyisp.ppp.fsm.State.OPENED;
      default -> false;
    };
  }

  /** RADIUS answered for a session (possibly after it ended: then nothing happens). */
  public List<AcAction> authenticated(int sessionId, boolean accepted, String message, long now) {
    return authenticated(sessionId, accepted, message, null, now);
  }

  /** As above, with the subscriber's IPv4 assignment for dual-stack IPCP (null: IPv6 only). */
  public List<AcAction> authenticated(int sessionId, boolean accepted, String message,
      net.tinyisp.ppp.ipcp.Ipv4Assignment ipv4, long now) {
    List<AcAction> out = new ArrayList<>();
    SessionTable.Session s = sessions.get(sessionId);
    if (s != null) linkEvents(s, s.link().authenticated(accepted, message, ipv4, now), now, out);
    return out;
  }

  /** Ends a session from our side: LCP Terminate, then PADT (admin, RADIUS Disconnect-Request, timeouts). */
  public List<AcAction> terminate(int sessionId, TerminateCause cause, long now) {
    List<AcAction> out = new ArrayList<>();
    SessionTable.Session s = sessions.get(sessionId);
    if (s != null) linkEvents(s, s.link().close(cause, now), now, out);
    return out;
  }

  /** An IPv6 packet for the subscriber of this session, as a session frame; null if the session is gone. */
  public byte[] toSubscriber(int sessionId, byte[] ipv6Packet) {
    SessionTable.Session s = sessions.get(sessionId);
    if (s == null) return null;
    byte[] payload = new byte[2 + ipv6Packet.length];
    payload[0] = (byte) (Protocols.IPV6 >> 8);
    payload[1] = (byte) Protocols.IPV6;
    System.arraycopy(ipv6Packet, 0, payload, 2, ipv6Packet.length);
    return new PppoeFrame(s.client(), ourMac, PppoeFrame.ETHERTYPE_SESSION, PppoeFrame.CODE_SESSION, sessionId,
        List.of(), payload).toBytes();
  }

  /** When {@link #tick} must run next (the earliest link timer), -1 when no timer runs. */
  public long deadline() {
    return timers.next();
  }

  public List<AcAction> tick(long now) {
    List<AcAction> out = new ArrayList<>();
    for (int id : timers.takeDue(now)) {
      SessionTable.Session s = sessions.get(id);
      if (s != null) linkEvents(s, s.link().tick(now), now, out);
    }
    return out;
  }

  private void linkEvents(SessionTable.Session s, List<LinkEvent> events, long now, List<AcAction> out) {
    for (LinkEvent e : events) {
      switch (e) {
        case LinkEvent.Send send -> {
          byte[] payload = new byte[2 + send.payload().length];
          payload[0] = (byte) (send.protocol() >> 8);
          payload[1] = (byte) send.protocol();
          System.arraycopy(send.payload(), 0, payload, 2, send.payload().length);
          out.add(new AcAction.SendFrame(new PppoeFrame(s.client(), ourMac, PppoeFrame.ETHERTYPE_SESSION,
              PppoeFrame.CODE_SESSION, s.id(), List.of(), payload).toBytes()));
        }
        case LinkEvent.Credentials c -> out.add(new AcAction.Authenticate(s.id(), s.client(), c));
        case LinkEvent.Ipv6Up up -> out.add(new AcAction.SessionUp(s.id(), s.client(), s.link().username(), up.peerIdentifier()));
        case LinkEvent.Ipv6Down down -> { }
        case LinkEvent.Ipv6Packet p -> out.add(new AcAction.Ipv6FromSubscriber(s.id(), p.packet()));
        case LinkEvent.Ipv4Up up -> out.add(new AcAction.Ipv4Up(s.id(), up.peer()));
        case LinkEvent.Ipv4Down down -> { }
        case LinkEvent.Ipv4Packet p -> out.add(new AcAction.Ipv4FromSubscriber(s.id(), p.packet()));
        case LinkEvent.Finished fin -> {
          sessions.remove(s.id());
          // RFC 2516 §5.5: PADT when the link is over; after the client's own PADT discovery has already forgotten
          // the session and this sends nothing
          for (DiscoveryAction a : discovery.terminate(s.id(), null)) discovery(a, now, out);
          out.add(new AcAction.SessionDown(s.id(), s.client(), s.link().username(), fin.cause()));
        }
        case LinkEvent.Dropped d -> out.add(new AcAction.Drop(d.malformed() ? DropReason.PPP_MALFORMED : DropReason.PPP_PROTOCOL, d.reason()));
      }
    }
    // every call into a link ends here: its next deadline is known again
    if (sessions.get(s.id()) == s) timers.schedule(s.id(), s.link().deadline());
    else timers.cancel(s.id());
  }
}
