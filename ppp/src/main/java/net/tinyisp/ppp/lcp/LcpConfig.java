package net.tinyisp.ppp.lcp;

import java.time.Duration;
import java.util.List;

/**
 * LCP settings of the access concentrator.
 *
 * @param mru our MRU and the largest we accept from the peer; 1492 on PPPoE (RFC 2516 §7)
 * @param auth authentication methods in order of preference; the peer may Nak us down the list
 * @param echoInterval LCP Echo-Request period for dead-peer detection (pppd's lcp-echo-interval), zero = off
 * @param echoFailure missed Echo-Replies in a row that end the session (pppd's lcp-echo-failure)
 */
public record LcpConfig(int mru, List<AuthMethod> auth, Duration echoInterval, int echoFailure) {
  public static final LcpConfig DEFAULTS =
      new LcpConfig(1492, List.of(AuthMethod.CHAP_MD5, AuthMethod.PAP), Duration.ofSeconds(20), 3);

  public LcpConfig {
    if (mru < 576 || mru > 1492) {
      throw new IllegalArgumentException("mru " + mru + ": expected 576..1492 (PPPoE, RFC 2516 §7)");
    }
    if (auth.isEmpty()) {
      throw new IllegalArgumentException("at least one authentication method (pap, chap) is required");
    }
    auth = List.copyOf(auth);
    if (echoInterval.isNegative() || echoFailure < 1) {
      throw new IllegalArgumentException("lcp-echo-interval must be >= 0 and lcp-echo-failure >= 1");
    }
  }
}
