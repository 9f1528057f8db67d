package net.tinyisp.ppp.fsm;

import java.util.ArrayList;
import java.util.List;
import net.tinyisp.ppp.wire.Code;
import net.tinyisp.ppp.wire.ConfigOption;
import net.tinyisp.ppp.wire.ControlPacket;
import net.tinyisp.ppp.wire.MalformedPacketException;

/**
 * One control protocol instance (LCP, IPCP or IPv6CP) of one session: the {@link Automaton} plus the restart
 * counter, the restart timer and packet identifiers (RFC 1661 §4.6, §5). Pure: time comes in as nanoseconds, packets
 * and layer signals go out as {@link Output}s. Not thread-safe: a session's events are handled one at a time.
 */
public final class ControlProtocol {
  private final Negotiator negotiator;
  private final Timers timers;
  private final Options options;
  private final boolean lcpCodes;

  private State state = State.INITIAL;
  private int restartCount;
  private long timerDeadline = -1;
  private int failureCount;
  private int nextIdentifier;
  private int requestIdentifier = -1;
  private List<ConfigOption> lastRequest = List.of();
  // the packet an SCA/SCN/STA/SCJ action answers; set by the receive path before the automaton runs
  private ControlPacket answering;
  private Negotiator.Verdict verdict;

  /**
   * @param lcpCodes true for LCP, which also knows Protocol-Reject, Echo and Discard (codes 8-11); for IPCP and
   *     IPv6CP those are unknown codes (RFC 1332 §2, RFC 5072 §3) and answered with Code-Reject
   */
  public ControlProtocol(Negotiator negotiator, Timers timers, Options options, boolean lcpCodes, int firstIdentifier) {
    this.negotiator = negotiator;
    this.timers = timers;
    this.options = options;
    this.lcpCodes = lcpCodes;
    this.nextIdentifier = firstIdentifier & 0xff;
  }

  public State state() {
    return state;
  }

  /** When {@link #tick} must be called next, or -1 when no timer runs. */
  public long deadline() {
    return timerDeadline;
  }

  public List<Output> up(long now) {
    return fire(Event.UP, now);
  }

  public List<Output> down(long now) {
    return fire(Event.DOWN, now);
  }

  public List<Output> open(long now) {
    return fire(Event.OPEN, now);
  }

  public List<Output> close(long now) {
    return fire(Event.CLOSE, now);
  }

  /** The peer rejected this whole protocol (LCP Protocol-Reject naming it): RXJ-. */
  public List<Output> protocolRejected(long now) {
    return fire(Event.RXJ_MINUS, now);
  }

  public List<Output> tick(long now) {
    if (timerDeadline < 0 || now < timerDeadline) {
      return List.of();
    }
    timerDeadline = -1;
    return fire(restartCount > 0 ? Event.TO_PLUS : Event.TO_MINUS, now);
  }

  public List<Output> receive(byte[] bytes, long now) {
    ControlPacket p;
    try {
      p = ControlPacket.parse(java.nio.ByteBuffer.wrap(bytes));
    } catch (MalformedPacketException e) {
      return List.of(new Output.Dropped("malformed: " + e.getMessage(), true));
    }
    answering = p;
    try {
      return switch (p.code()) {
        case Code.CONFIGURE_REQUEST -> receiveRequest(p, now);
        case Code.CONFIGURE_ACK -> {
          if (!isAnswerToOurRequest(p) || !ConfigOption.parseList(p.data()).equals(lastRequest)) {
            yield List.of(new Output.Dropped("Configure-Ack does not match our request")); // §5.2: discard
          }
          List<Output> out = fire(Event.RCA, now);
          if (state == State.OPENED || state == State.ACK_RCVD) negotiator.acked(lastRequest);
          yield out;
        }
        case Code.CONFIGURE_NAK, Code.CONFIGURE_REJECT -> {
          if (!isAnswerToOurRequest(p)) {
            yield List.of(new Output.Dropped("Configure-Nak/Reject with a stale identifier"));
          }
          List<ConfigOption> opts = ConfigOption.parseList(p.data());
          if (p.code() == Code.CONFIGURE_NAK) {
            negotiator.nakked(opts);
          } else if (!negotiator.rejected(opts)) {
            yield fire(Event.CLOSE, now); // we cannot work without a rejected option
          }
          yield fire(Event.RCN, now);
        }
        case Code.TERMINATE_REQUEST -> fire(Event.RTR, now);
        case Code.TERMINATE_ACK -> fire(Event.RTA, now);
        case Code.CODE_REJECT -> {
          byte[] d = p.data();
          int rejected = d.length > 0 ? d[0] & 0xff : 0;
          // §5.6: rejecting a code we need to negotiate (1-7) is catastrophic; others are permitted
          yield fire(rejected >= 1 && rejected <= 7 ? Event.RXJ_MINUS : Event.RXJ_PLUS, now);
        }
        case Code.PROTOCOL_REJECT -> {
          if (!lcpCodes) yield fire(Event.RUC, now);
          byte[] d = p.data();
          if (d.length < 2) yield List.of(new Output.Dropped("Protocol-Reject without a protocol"));
          int proto = (d[0] & 0xff) << 8 | d[1] & 0xff;
          List<Output> out = new ArrayList<>(fire(proto == 0xc021 ? Event.RXJ_MINUS : Event.RXJ_PLUS, now));
          out.addFirst(new Output.ProtocolRejected(proto));
          yield out;
        }
        case Code.ECHO_REQUEST -> lcpCodes ? fire(Event.RXR, now) : fire(Event.RUC, now);
        // §5.8-5.9: an Echo-Reply feeds the keepalive (the caller's), a Discard-Request is consumed; neither is
        // answered, so they do not go through the automaton's RXR (whose Opened cell sends an Echo-Reply)
        case Code.ECHO_REPLY -> lcpCodes ? List.of(new Output.EchoReplyReceived(p.identifier(), p.data()))
            : fire(Event.RUC, now);
        case Code.DISCARD_REQUEST -> lcpCodes ? List.of() : fire(Event.RUC, now);
        default -> fire(Event.RUC, now);
      };
    } catch (MalformedPacketException e) {
      return List.of(new Output.Dropped("malformed options: " + e.getMessage(), true));
    } finally {
      answering = null;
      verdict = null;
    }
  }

  private boolean isAnswerToOurRequest(ControlPacket p) {
    return p.identifier() == requestIdentifier;
  }

  private List<Output> receiveRequest(ControlPacket p, long now) {
    Negotiator.Verdict v = negotiator.check(ConfigOption.parseList(p.data()));
    if (v.code() == Code.CONFIGURE_NAK && ++failureCount >= timers.maxFailure()) {
      // §4.6 Max-Failure: stop Nak-ing a peer that does not converge; reject those options instead
      v = new Negotiator.Verdict(Code.CONFIGURE_REJECT, v.options());
    }
    if (v.code() == Code.CONFIGURE_ACK) {
      failureCount = 0;
    }
    verdict = v;
    return fire(v.code() == Code.CONFIGURE_ACK ? Event.RCR_PLUS : Event.RCR_MINUS, now);
  }

  private List<Output> fire(Event e, long now) {
    Transition t = Automaton.next(state, e, options);
    if (t.illegal()) {
      return List.of(new Output.Dropped("event " + e + " is not expected in state " + state));
    }
    List<Output> out = new ArrayList<>(t.actions().size() + 1);
    boolean terminating = t.actions().contains(Action.STR);
    for (Action a : t.actions()) {
      perform(a, terminating, now, out);
    }
    state = t.next();
    if (state == State.INITIAL || state == State.STARTING || state == State.CLOSED || state == State.STOPPED
        || state == State.OPENED) {
      timerDeadline = -1; // §4.6: the timer runs only while a Configure- or Terminate-Request is outstanding
    }
    return out;
  }

  private void perform(Action a, boolean terminating, long now, List<Output> out) {
    switch (a) {
      case TLU -> out.add(new Output.LayerUp());
      case TLD -> out.add(new Output.LayerDown());
      case TLS -> out.add(new Output.LayerStarted());
      case TLF -> out.add(new Output.LayerFinished());
      case IRC -> {
        restartCount = terminating ? timers.maxTerminate() : timers.maxConfigure();
        failureCount = 0;
      }
      case ZRC -> {
        restartCount = 0;
        startTimer(now);
      }
      case SCR -> {
        lastRequest = negotiator.request();
        requestIdentifier = takeIdentifier();
        out.add(new Output.Send(new ControlPacket(Code.CONFIGURE_REQUEST, requestIdentifier,
            ConfigOption.toBytes(lastRequest))));
        restartCount--;
        startTimer(now);
      }
      case SCA -> out.add(new Output.Send(new ControlPacket(Code.CONFIGURE_ACK, answering.identifier(), answering.data())));
      case SCN -> out.add(new Output.Send(new ControlPacket(verdict.code(), answering.identifier(),
          ConfigOption.toBytes(verdict.options()))));
      case STR -> {
        out.add(new Output.Send(new ControlPacket(Code.TERMINATE_REQUEST, takeIdentifier(), new byte[0])));
        restartCount--;
        startTimer(now);
      }
      case STA -> out.add(new Output.Send(new ControlPacket(Code.TERMINATE_ACK,
          answering == null ? takeIdentifier() : answering.identifier(), new byte[0])));
      case SCJ -> {
        // §5.7: the rejected packet, truncated to fit the peer's MRU; 1492 - 4 is safe on PPPoE (RFC 2516 §7)
        byte[] rejected = answering.toBytes();
        byte[] data = java.util.Arrays.copyOf(rejected, Math.min(rejected.length, 1488));
        out.add(new Output.Send(new ControlPacket(Code.CODE_REJECT, takeIdentifier(), data)));
      }
      case SER -> out.add(new Output.Send(new ControlPacket(Code.ECHO_REPLY, answering.identifier(),
          echoReplyData(answering.data()))));
    }
  }

  /** RFC 1661 §5.8: the reply carries our Magic-Number (the negotiator knows it), then the request's data. */
  private byte[] echoReplyData(byte[] request) {
    byte[] out = request.clone();
    if (negotiator instanceof MagicNumberSource m && out.length >= 4) {
      java.nio.ByteBuffer.wrap(out).putInt(0, m.localMagic());
    }
    return out;
  }

  private void startTimer(long now) {
    timerDeadline = now + timers.restart().toNanos();
  }

  private int takeIdentifier() {
    int id = nextIdentifier;
    nextIdentifier = (nextIdentifier + 1) & 0xff;
    return id;
  }

  /** Implemented by the LCP negotiator: Echo-Reply and Echo-Request carry the local Magic-Number. */
  public interface MagicNumberSource {
    int localMagic();
  }
}
