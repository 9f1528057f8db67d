package net.tinyisp.dns.doh;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import net.tinyisp.dns.tls.EncryptedDnsDrop;
import net.tinyisp.dns.tls.EncryptedDnsMetrics;

/**
 * Put first on plain-DoH connections from a trusted proxy: strips a PROXY v2 header and records its source as the
 * client, then removes itself. Connections without the signature pass through unchanged (nginx may use
 * X-Forwarded-For instead); a header that starts right but does not parse closes the connection.
 */
final class ProxyProtocolDecoder extends ByteToMessageDecoder {
  private final EncryptedDnsMetrics metrics;

  ProxyProtocolDecoder(EncryptedDnsMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int n = Math.min(in.readableBytes(), ProxyV2Header.FIXED + ProxyV2Header.MAX_LENGTH);
    byte[] head = new byte[n];
    in.getBytes(in.readerIndex(), head);
    switch (ProxyV2Header.parse(head, n)) {
      case ProxyV2Header.NeedMore ignored -> {
        // wait for the rest of the header
      }
      case ProxyV2Header.NotProxy ignored -> ctx.pipeline().remove(this);
      case ProxyV2Header.Invalid ignored -> {
        metrics.drop(EncryptedDnsDrop.PROXY_HEADER);
        in.skipBytes(in.readableBytes());
        ctx.close();
      }
      case ProxyV2Header.Parsed p -> {
        in.skipBytes(p.length());
        if (p.source() != null) {
          ctx.channel().attr(ClientAddress.PROXIED).set(p.source().getAddress());
        }
        ctx.pipeline().remove(this);
      }
    }
  }
}
