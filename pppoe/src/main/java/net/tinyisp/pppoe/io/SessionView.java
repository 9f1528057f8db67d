package net.tinyisp.pppoe.io;

/** One row of {@code tinyisp pppoe sessions} (accel-cmd's "show sessions"), for the CLI and the admin API. */
public record SessionView(int sessionId, String username, String mac, String link, String delegated,
    Long downKbps, Long upKbps, long uptimeSeconds, long rxOctets, long txOctets, long rxPackets, long txPackets,
    String acctSessionId) {}
