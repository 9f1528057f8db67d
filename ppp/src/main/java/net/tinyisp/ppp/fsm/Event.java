package net.tinyisp.ppp.fsm;

/** RFC 1661 §4.3: events, in the order of the §4.1 table's rows. */
public enum Event {
  /** lower layer is Up */
  UP,
  /** lower layer is Down */
  DOWN,
  /** administrative Open */
  OPEN,
  /** administrative Close */
  CLOSE,
  /** Timeout with counter > 0 */
  TO_PLUS,
  /** Timeout with counter expired */
  TO_MINUS,
  /** Receive-Configure-Request (Good) */
  RCR_PLUS,
  /** Receive-Configure-Request (Bad) */
  RCR_MINUS,
  /** Receive-Configure-Ack */
  RCA,
  /** Receive-Configure-Nak/Rej */
  RCN,
  /** Receive-Terminate-Request */
  RTR,
  /** Receive-Terminate-Ack */
  RTA,
  /** Receive-Unknown-Code */
  RUC,
  /** Receive-Code-Reject (permitted) or Receive-Protocol-Reject */
  RXJ_PLUS,
  /** Receive-Code-Reject (catastrophic) or Receive-Protocol-Reject */
  RXJ_MINUS,
  /** Receive-Echo-Request, Receive-Echo-Reply, Receive-Discard-Request */
  RXR
}
