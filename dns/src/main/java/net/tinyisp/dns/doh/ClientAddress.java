package net.tinyisp.dns.doh;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import net.tinyisp.common.net.IpPrefix;

/** Who asked, as the DNS64 ACLs must see it: the PROXY v2 source, else a trusted Forwarded header, else the peer. */
final class ClientAddress {
  /** Set on the connection by {@link ProxyProtocolDecoder} when a trusted proxy sent a PROXY v2 header. */
  static final AttributeKey<InetAddress> PROXIED = AttributeKey.valueOf("tinyisp.doh.proxiedClient");

  private ClientAddress() {}

  static InetAddress of(Channel ch, List<IpPrefix> trusted, String forwarded, String xForwardedFor) {
    InetAddress proxied = ch.attr(PROXIED).get();
    if (proxied != null) {
      return proxied;
    }
    InetAddress peer = ((InetSocketAddress) ch.remoteAddress()).getAddress();
    if (trusted.isEmpty() || (forwarded == null && xForwardedFor == null)) {
      return peer;
    }
    return ForwardedClient.resolve(peer, trusted, forwarded, xForwardedFor);
  }
}
