package net.tinyisp.ppp.fsm;

/** RFC 1661 §4.4: actions, performed by the caller in the order the automaton returns them. */
public enum Action {
  /** This-Layer-Up: the upper layer may start (e.g. authentication after LCP, routes after IPv6CP). */
  TLU,
  /** This-Layer-Down */
  TLD,
  /** This-Layer-Started: the lower layer is needed (for PPPoE: the session exists). */
  TLS,
  /** This-Layer-Finished: the lower layer is no longer needed (for LCP over PPPoE: send PADT). */
  TLF,
  /** Initialize-Restart-Count (Max-Configure for SCR, Max-Terminate for STR) and start the timer. */
  IRC,
  /** Zero-Restart-Count and start the timer (§4.4: wait one Restart period after a Terminate-Ack). */
  ZRC,
  /** Send-Configure-Request */
  SCR,
  /** Send-Configure-Ack */
  SCA,
  /** Send-Configure-Nak/Rej */
  SCN,
  /** Send-Terminate-Request */
  STR,
  /** Send-Terminate-Ack */
  STA,
  /** Send-Code-Reject */
  SCJ,
  /** Send-Echo-Reply */
  SER
}
