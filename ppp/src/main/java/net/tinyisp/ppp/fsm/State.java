package net.tinyisp.ppp.fsm;

/** RFC 1661 §4.2: the ten states of the option negotiation automaton, numbered as in the §4.1 table. */
public enum State {
  INITIAL, STARTING, CLOSED, STOPPED, CLOSING, STOPPING, REQ_SENT, ACK_RCVD, ACK_SENT, OPENED
}
