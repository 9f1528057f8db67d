package net.tinyisp.dns.server;

import java.net.InetAddress;

/**
 * What a front end knows about one query besides its bytes: who asked (after trusted-proxy unwrapping for DoH
 * behind nginx) and over which transport. ACLs (allow-query, dns64 clients) are decided on {@code client}.
 */
public record QueryContext(InetAddress client, Transport transport) {}
