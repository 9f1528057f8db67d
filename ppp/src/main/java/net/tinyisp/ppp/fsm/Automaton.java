package net.tinyisp.ppp.fsm;

import static net.tinyisp.ppp.fsm.Action.IRC;
import static net.tinyisp.ppp.fsm.Action.SCA;
import static net.tinyisp.ppp.fsm.Action.SCJ;
import static net.tinyisp.ppp.fsm.Action.SCN;
import static net.tinyisp.ppp.fsm.Action.SCR;
import static net.tinyisp.ppp.fsm.Action.SER;
import static net.tinyisp.ppp.fsm.Action.STA;
import static net.tinyisp.ppp.fsm.Action.STR;
import static net.tinyisp.ppp.fsm.Action.TLD;
import static net.tinyisp.ppp.fsm.Action.TLF;
import static net.tinyisp.ppp.fsm.Action.TLS;
import static net.tinyisp.ppp.fsm.Action.TLU;
import static net.tinyisp.ppp.fsm.Action.ZRC;
import static net.tinyisp.ppp.fsm.State.ACK_RCVD;
import static net.tinyisp.ppp.fsm.State.ACK_SENT;
import static net.tinyisp.ppp.fsm.State.CLOSED;
import static net.tinyisp.ppp.fsm.State.CLOSING;
import static net.tinyisp.ppp.fsm.State.INITIAL;
import static net.tinyisp.ppp.fsm.State.OPENED;
import static net.tinyisp.ppp.fsm.State.REQ_SENT;
import static net.tinyisp.ppp.fsm.State.STARTING;
import static net.tinyisp.ppp.fsm.State.STOPPED;
import static net.tinyisp.ppp.fsm.State.STOPPING;
import static net.tinyisp.ppp.fsm.Transition.illegal;
import static net.tinyisp.ppp.fsm.Transition.to;

/**
 * RFC 1661 §4.1, the state transition table, as one exhaustive switch per event. Pure: no timers, no counters, no
 * packets; the caller (a {@code ControlProtocol}) turns the returned actions into packets and timer changes.
 * Every cell is checked against the RFC's own table text in {@code AutomatonTableTest}.
 */
public final class Automaton {
  private Automaton() {}

  public static Transition next(State s, Event e, Options o) {
    return switch (e) {
      case UP -> switch (s) {
        case INITIAL -> to(CLOSED);
        case STARTING -> to(REQ_SENT, IRC, SCR);
        default -> illegal(s);
      };
      case DOWN -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case CLOSED, CLOSING -> to(INITIAL);
        case STOPPED -> to(STARTING, TLS);
        case STOPPING, REQ_SENT, ACK_RCVD, ACK_SENT -> to(STARTING);
        case OPENED -> to(STARTING, TLD);
      };
      case OPEN -> switch (s) {
        case INITIAL -> to(STARTING, TLS);
        case STARTING -> to(STARTING);
        case CLOSED -> to(REQ_SENT, IRC, SCR);
        // "r": restart option; a Down followed by an Up, which from Starting is irc,scr/6
        case STOPPED -> o.restart() ? to(REQ_SENT, TLS, IRC, SCR) : to(STOPPED);
        // Closing/Stopping: Down leaves no action (timer stops), Up from Starting is irc,scr/6
        case CLOSING, STOPPING -> o.restart() ? to(REQ_SENT, IRC, SCR) : to(STOPPING);
        case REQ_SENT, ACK_RCVD, ACK_SENT -> to(s);
        case OPENED -> o.restart() ? to(REQ_SENT, TLD, IRC, SCR) : to(OPENED);
      };
      case CLOSE -> switch (s) {
        case INITIAL -> to(INITIAL);
        case STARTING -> to(INITIAL, TLF);
        case CLOSED, STOPPED -> to(CLOSED);
        case CLOSING, STOPPING -> to(CLOSING);
        case REQ_SENT, ACK_RCVD, ACK_SENT -> to(CLOSING, IRC, STR);
        case OPENED -> to(CLOSING, TLD, IRC, STR);
      };
      case TO_PLUS -> switch (s) {
        case CLOSING, STOPPING -> to(s, STR);
        case REQ_SENT, ACK_RCVD -> to(REQ_SENT, SCR);
        case ACK_SENT -> to(ACK_SENT, SCR);
        default -> illegal(s);
      };
      case TO_MINUS -> switch (s) {
        case CLOSING -> to(CLOSED, TLF);
        case STOPPING -> to(STOPPED, TLF);
        // "p": passive option: keep waiting in Stopped for the peer instead of finishing
        case REQ_SENT, ACK_RCVD, ACK_SENT -> o.passive() ? to(STOPPED) : to(STOPPED, TLF);
        default -> illegal(s);
      };
      case RCR_PLUS -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case CLOSED -> to(CLOSED, STA);
        case STOPPED -> to(ACK_SENT, IRC, SCR, SCA);
        case CLOSING, STOPPING -> to(s);
        case REQ_SENT, ACK_SENT -> to(ACK_SENT, SCA);
        case ACK_RCVD -> to(OPENED, SCA, TLU);
        case OPENED -> to(ACK_SENT, TLD, SCR, SCA);
      };
      case RCR_MINUS -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case CLOSED -> to(CLOSED, STA);
        case STOPPED -> to(REQ_SENT, IRC, SCR, SCN);
        case CLOSING, STOPPING -> to(s);
        case REQ_SENT, ACK_SENT -> to(REQ_SENT, SCN);
        case ACK_RCVD -> to(ACK_RCVD, SCN);
        case OPENED -> to(REQ_SENT, TLD, SCR, SCN);
      };
      case RCA -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case CLOSED, STOPPED -> to(s, STA);
        case CLOSING, STOPPING -> to(s);
        case REQ_SENT -> to(ACK_RCVD, IRC);
        // "x": crossed connection; the RFC restarts negotiation
        case ACK_RCVD -> to(REQ_SENT, SCR);
        case ACK_SENT -> to(OPENED, IRC, TLU);
        case OPENED -> to(REQ_SENT, TLD, SCR);
      };
      case RCN -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case CLOSED, STOPPED -> to(s, STA);
        case CLOSING, STOPPING -> to(s);
        case REQ_SENT -> to(REQ_SENT, IRC, SCR);
        case ACK_RCVD -> to(REQ_SENT, SCR);
        case ACK_SENT -> to(ACK_SENT, IRC, SCR);
        case OPENED -> to(REQ_SENT, TLD, SCR);
      };
      case RTR -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case CLOSED, STOPPED, CLOSING, STOPPING -> to(s, STA);
        case REQ_SENT, ACK_RCVD, ACK_SENT -> to(REQ_SENT, STA);
        case OPENED -> to(STOPPING, TLD, ZRC, STA);
      };
      case RTA -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case CLOSED, STOPPED -> to(s);
        case CLOSING -> to(CLOSED, TLF);
        case STOPPING -> to(STOPPED, TLF);
        case REQ_SENT, ACK_RCVD -> to(REQ_SENT);
        case ACK_SENT -> to(ACK_SENT);
        case OPENED -> to(REQ_SENT, TLD, SCR);
      };
      case RUC -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        default -> to(s, SCJ);
      };
      case RXJ_PLUS -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case ACK_RCVD -> to(REQ_SENT);
        default -> to(s);
      };
      case RXJ_MINUS -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case CLOSED, CLOSING -> to(CLOSED, TLF);
        case STOPPED, STOPPING, REQ_SENT, ACK_RCVD, ACK_SENT -> to(STOPPED, TLF);
        case OPENED -> to(STOPPING, TLD, IRC, STR);
      };
      case RXR -> switch (s) {
        case INITIAL, STARTING -> illegal(s);
        case OPENED -> to(OPENED, SER);
        default -> to(s);
      };
    };
  }
}
