package net.tinyisp.pppoe.discovery;

import java.util.List;

/**
 * Discovery policy of the access concentrator.
 *
 * @param acName the AC-Name tag (RFC 2516 §5.2); operators usually put the BNG's host name here
 * @param serviceNames services offered; empty = any Service-Name is accepted and echoed (rp-pppoe's default)
 * @param maxSessions new PADRs beyond this get a PADS with AC-System-Error
 * @param padiPerMacPerSecond sustained PADI rate one MAC may send before PADIs are dropped (burst 3x)
 * @param padiPerSecond sustained PADI rate for all MACs together (burst 2x)
 * @param cookieSecret key of the AC-Cookie HMAC (random per start when not configured)
 */
public record DiscoveryConfig(String acName, List<String> serviceNames, int maxSessions, double padiPerMacPerSecond,
    double padiPerSecond, byte[] cookieSecret) {
  public DiscoveryConfig {
    if (acName == null || acName.isBlank()) throw new IllegalArgumentException("ac-name must not be empty");
    serviceNames = List.copyOf(serviceNames);
    if (maxSessions < 1 || maxSessions > 65534) throw new IllegalArgumentException("max-sessions must be 1..65534");
    if (padiPerMacPerSecond <= 0 || padiPerSecond <= 0) throw new IllegalArgumentException("PADI rates must be > 0");
    if (cookieSecret == null || cookieSecret.length < 16) throw new IllegalArgumentException("cookie secret needs >= 16 bytes");
    cookieSecret = cookieSecret.clone();
  }
}
