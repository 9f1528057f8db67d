package net.tinyisp.dns.cli;

import java.util.List;
import net.tinyisp.dns.tls.EncryptedDnsConfig;
import picocli.CommandLine.Option;

/**
 * The encrypted-listener flags of {@code tinyisp dns64}, as a picocli mixin ({@code @Mixin EncryptedDnsOptions}):
 * {@code --dot --doh --doh-plain --cert --key --chain --trusted-proxy}. {@link #config(String)} gives the record the
 * {@code EncryptedDnsService} takes, or null when no encrypted listener was asked for.
 */
public final class EncryptedDnsOptions {
  @Option(names = "--dot", paramLabel = "ADDRESS[:PORT]", description = "DNS over TLS listener (port 853), repeatable")
  List<String> dot;

  @Option(names = "--doh", paramLabel = "ADDRESS[:PORT]",
      description = "DNS over HTTPS listener, HTTP/2 and HTTP/1.1 over TLS (port 443), repeatable")
  List<String> doh;

  @Option(names = "--doh-plain", paramLabel = "ADDRESS[:PORT]",
      description = "plain-HTTP DoH listener for a reverse proxy in front (port 8080), repeatable")
  List<String> dohPlain;

  @Option(names = "--cert", paramLabel = "FILE",
      description = "PEM certificate chain, e.g. /etc/letsencrypt/live/NAME/fullchain.pem (default: self-signed)")
  String cert;

  @Option(names = "--key", paramLabel = "FILE", description = "PEM private key, e.g. .../privkey.pem")
  String key;

  @Option(names = "--chain", paramLabel = "FILE", description = "PEM intermediates when --cert is the leaf only")
  String chain;

  @Option(names = "--trusted-proxy", paramLabel = "PREFIX",
      description = "proxy whose Forwarded/X-Forwarded-For/PROXY v2 client address is believed, repeatable")
  List<String> trustedProxy;

  /** The listeners' config, or null when none of --dot, --doh, --doh-plain was given. */
  public EncryptedDnsConfig config(String dataDir) {
    if (isEmpty(dot) && isEmpty(doh) && isEmpty(dohPlain)) {
      if (cert != null || key != null || !isEmpty(trustedProxy)) {
        throw new IllegalArgumentException("--cert, --key and --trusted-proxy need --dot, --doh or --doh-plain");
      }
      return null;
    }
    return new EncryptedDnsConfig(dot, doh, dohPlain, cert, key, chain, trustedProxy, null, null, null, null, dataDir);
  }

  private static boolean isEmpty(List<String> l) {
    return l == null || l.isEmpty();
  }
}
