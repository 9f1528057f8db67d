package net.tinyisp.ppp.link;

import java.time.Duration;
import net.tinyisp.ppp.fsm.Timers;
import net.tinyisp.ppp.lcp.LcpConfig;

/**
 * One session's PPP settings.
 *
 * @param lcp MRU, authentication methods, echo keepalive
 * @param timers RFC 1661 restart timer and counters (also used for CHAP Challenge retransmission)
 * @param authTimeout how long to wait for the subscriber's PAP request or CHAP response before ending the link
 * @param ipcp false (the default, IPv6-only): IPCP is answered with LCP Protocol-Reject
 * @param authName our name in CHAP Challenges (the AC-Name)
 */
public record LinkConfig(LcpConfig lcp, Timers timers, Duration authTimeout, boolean ipcp, String authName) {
  public static LinkConfig defaults(String authName) {
    return new LinkConfig(LcpConfig.DEFAULTS, Timers.RFC_DEFAULTS, Duration.ofSeconds(30), false, authName);
  }
}
