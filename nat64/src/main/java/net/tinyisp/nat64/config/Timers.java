package net.tinyisp.nat64.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Session lifetimes of RFC 6146 §4, in seconds as Jool writes them: UDP at least 2 min (default 5 min), TCP
 * established at least 2 h 4 min, TCP transitory at least 4 min, ICMP query 60 s, an unanswered inbound SYN 6 s
 * (§3.5.2.2). The fragment timeout bounds how long reassembly (§3.4) waits for missing fragments (2 s).
 */
public record Timers(
    @JsonProperty("udp") Long udpSeconds,
    @JsonProperty("tcp-established") Long tcpEstablishedSeconds,
    @JsonProperty("tcp-transitory") Long tcpTransitorySeconds,
    @JsonProperty("icmp") Long icmpSeconds,
    @JsonProperty("tcp-incoming-syn") Long tcpIncomingSynSeconds,
    @JsonProperty("fragment") Long fragmentSeconds) {

  public static final Timers DEFAULTS = new Timers(null, null, null, null, null, null);

  public Timers {
    udpSeconds = positive(udpSeconds, 300, "udp");
    tcpEstablishedSeconds = positive(tcpEstablishedSeconds, 7440, "tcp-established");
    tcpTransitorySeconds = positive(tcpTransitorySeconds, 240, "tcp-transitory");
    icmpSeconds = positive(icmpSeconds, 60, "icmp");
    tcpIncomingSynSeconds = positive(tcpIncomingSynSeconds, 6, "tcp-incoming-syn");
    fragmentSeconds = positive(fragmentSeconds, 2, "fragment");
  }

  private static Long positive(Long v, long dflt, String name) {
    if (v == null) return dflt;
    if (v <= 0) {
      throw new IllegalArgumentException("timer " + name + " must be a positive number of seconds, not " + v);
    }
    return v;
  }

  public Duration udp() {
    return Duration.ofSeconds(udpSeconds);
  }

  public Duration tcpEstablished() {
    return Duration.ofSeconds(tcpEstablishedSeconds);
  }

  public Duration tcpTransitory() {
    return Duration.ofSeconds(tcpTransitorySeconds);
  }

  public Duration icmp() {
    return Duration.ofSeconds(icmpSeconds);
  }

  public Duration tcpIncomingSyn() {
    return Duration.ofSeconds(tcpIncomingSynSeconds);
  }

  public Duration fragment() {
    return Duration.ofSeconds(fragmentSeconds);
  }
}
