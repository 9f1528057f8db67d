package net.tinyisp.nat64.state;

/**
 * The TCP session state machine of RFC 6146 §3.5.2.2, as a pure function of (state, event). The caller applies the
 * returned lifetime to the session's expiry using its clock.
 */
public final class TcpStateMachine {
  private TcpStateMachine() {}

  /** What a segment tells the machine; the RFC keys transitions on SYN, FIN and RST and the side it came from. */
  public enum Event {
    V6_SYN, V4_SYN, V6_FIN, V4_FIN, V6_RST, V4_RST, V6_OTHER, V4_OTHER;

    public static Event of(boolean fromV6, int tcpFlags) {
      if ((tcpFlags & 0x04) != 0) return fromV6 ? V6_RST : V4_RST;
      if ((tcpFlags & 0x02) != 0) return fromV6 ? V6_SYN : V4_SYN;
      if ((tcpFlags & 0x01) != 0) return fromV6 ? V6_FIN : V4_FIN;
      return fromV6 ? V6_OTHER : V4_OTHER;
    }

    boolean fromV6() {
      return this == V6_SYN || this == V6_FIN || this == V6_RST || this == V6_OTHER;
    }
  }

  /** Which timer the transition sets; KEEP leaves the expiry alone. */
  public enum Lifetime {
    ESTABLISHED, TRANSITORY, INCOMING_SYN, KEEP
  }

  public record Transition(TcpState next, Lifetime lifetime) {}

  /** One instance per (state, lifetime): the packet path allocates nothing. */
  private static final Transition[][] ALL = new Transition[TcpState.values().length][Lifetime.values().length];

  static {
    for (TcpState s : TcpState.values()) {
      for (Lifetime l : Lifetime.values()) {
        ALL[s.ordinal()][l.ordinal()] = new Transition(s, l);
      }
    }
  }

  private static Transition to(TcpState s, Lifetime l) {
    return ALL[s.ordinal()][l.ordinal()];
  }

  public static Transition next(TcpState state, Event e) {
    return switch (state) {
      // A V6 SYN opens; a V4 SYN opens only where the filtering step let it through (a BIB entry exists).
      case CLOSED -> switch (e) {
        case V6_SYN -> to(TcpState.V6_INIT, Lifetime.TRANSITORY);
        case V4_SYN -> to(TcpState.V4_INIT, Lifetime.INCOMING_SYN);
        default -> to(TcpState.CLOSED, Lifetime.KEEP);
      };
      case V4_INIT -> switch (e) {
        case V6_SYN -> to(TcpState.ESTABLISHED, Lifetime.ESTABLISHED);
        default -> to(TcpState.V4_INIT, Lifetime.KEEP);
      };
      case V6_INIT -> switch (e) {
        case V4_SYN -> to(TcpState.ESTABLISHED, Lifetime.ESTABLISHED);
        case V6_SYN -> to(TcpState.V6_INIT, Lifetime.TRANSITORY);
        default -> to(TcpState.V6_INIT, Lifetime.KEEP);
      };
      case ESTABLISHED -> switch (e) {
        case V4_FIN -> to(TcpState.V4_FIN_RCV, Lifetime.KEEP);
        case V6_FIN -> to(TcpState.V6_FIN_RCV, Lifetime.KEEP);
        case V4_RST, V6_RST -> to(TcpState.TRANS, Lifetime.TRANSITORY);
        default -> to(TcpState.ESTABLISHED, Lifetime.ESTABLISHED);
      };
      case V4_FIN_RCV -> switch (e) {
        case V6_FIN -> to(TcpState.V4_FIN_V6_FIN_RCV, Lifetime.TRANSITORY);
        default -> to(TcpState.V4_FIN_RCV, Lifetime.ESTABLISHED);
      };
      case V6_FIN_RCV -> switch (e) {
        case V4_FIN -> to(TcpState.V4_FIN_V6_FIN_RCV, Lifetime.TRANSITORY);
        default -> to(TcpState.V6_FIN_RCV, Lifetime.ESTABLISHED);
      };
      case V4_FIN_V6_FIN_RCV -> to(TcpState.V4_FIN_V6_FIN_RCV, Lifetime.KEEP);
      case TRANS -> switch (e) {
        case V4_RST, V6_RST -> to(TcpState.TRANS, Lifetime.KEEP);
        default -> to(TcpState.ESTABLISHED, Lifetime.ESTABLISHED);
      };
    };
  }

  /**
   * What happens when a session's timer fires (RFC 6146 §3.5.2.2): an established-like session drops to TRANS for
   * the transitory lifetime (the RFC's probe is not sent, see README); any other state is removed (null).
   */
  public static TcpState onExpiry(TcpState state) {
    return switch (state) {
      case ESTABLISHED, V4_FIN_RCV, V6_FIN_RCV -> TcpState.TRANS;
      default -> null;
    };
  }
}
