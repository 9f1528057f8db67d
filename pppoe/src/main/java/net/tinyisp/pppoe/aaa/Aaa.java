package net.tinyisp.pppoe.aaa;

import java.util.concurrent.CompletionStage;
import net.tinyisp.ppp.link.LinkEvent;
import net.tinyisp.ppp.link.TerminateCause;

/**
 * Authentication and accounting for the access concentrator: RADIUS in production ({@code RadiusAaa}). Called from
 * the packet loop; implementations must not block it (they answer through the returned stage).
 */
public interface Aaa {

  /** Who is asking: what a NAS puts in Access-Request besides the credentials (RFC 2865 §5). */
  record Caller(int sessionId, String callingStationId) {}

  CompletionStage<Authorization> authenticate(Caller caller, LinkEvent.Credentials credentials);

  /** Accounting Start (RFC 2866); {@code usage} is zero. Must be durable at the server before it completes. */
  CompletionStage<Void> accounting(AccountingEvent event);

  /** RFC 2866 §5.1 Acct-Status-Type values and what a record carries. */
  record AccountingEvent(Kind kind, String acctSessionId, String multiSessionId, String username, Caller caller,
      Authorization authorization, Usage usage, long sessionSeconds, TerminateCause cause,
      net.tinyisp.common.net.IpPrefix link, net.tinyisp.common.net.IpPrefix delegated, java.net.Inet4Address framedIp) {
    public enum Kind { START, INTERIM, STOP }

    /** IPv6-only sessions: no Framed-IP-Address. */
    public AccountingEvent(Kind kind, String acctSessionId, String multiSessionId, String username, Caller caller,
        Authorization authorization, Usage usage, long sessionSeconds, TerminateCause cause,
        net.tinyisp.common.net.IpPrefix link, net.tinyisp.common.net.IpPrefix delegated) {
      this(kind, acctSessionId, multiSessionId, username, caller, authorization, usage, sessionSeconds, cause, link,
          delegated, null);
    }
  }

  /** Counters from the subscriber's point of view: input = from the subscriber (upload). */
  record Usage(long inputOctets, long outputOctets, long inputPackets, long outputPackets) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);
  }
}
