package net.tinyisp.radius.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.tinyisp.common.net.HostPort;

/**
 * Servers a RADIUS client talks to, in order of preference, and its retransmission schedule (RFC 5080 §2.2.1:
 * the same Identifier and authenticator on retransmission to the same server; timeouts double up to a maximum).
 *
 * @param attemptsPerServer sends to one server (first plus retransmissions) before failing over to the next
 * @param requireMessageAuthenticator ignore Access-Accept/Reject/Challenge without a valid Message-Authenticator
 *     (BlastRADIUS); off only for servers that cannot send it
 * @param deadServerHold how long a server that timed out is skipped for new requests
 */
public record RadiusClientConfig(List<Server> servers, Duration initialTimeout, Duration maxTimeout,
    int attemptsPerServer, boolean requireMessageAuthenticator, Duration deadServerHold) {

  public RadiusClientConfig {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) throw new IllegalArgumentException("a RADIUS client needs at least one server");
    if (attemptsPerServer < 1) throw new IllegalArgumentException("attemptsPerServer must be >= 1");
  }

  public static RadiusClientConfig of(List<Server> servers) {
    return new RadiusClientConfig(servers, Duration.ofSeconds(1), Duration.ofSeconds(8), 3, true,
        Duration.ofSeconds(30));
  }

  public RadiusClientConfig withTimeouts(Duration initial, Duration max, int attempts) {
    return new RadiusClientConfig(servers, initial, max, attempts, requireMessageAuthenticator, deadServerHold);
  }

  public RadiusClientConfig withRequireMessageAuthenticator(boolean require) {
    return new RadiusClientConfig(servers, initialTimeout, maxTimeout, attemptsPerServer, require, deadServerHold);
  }

  /** One server: address and shared secret. */
  public record Server(HostPort address, byte[] secret) {
    public Server {
      if (secret.length == 0) throw new IllegalArgumentException("the secret must not be empty");
      secret = secret.clone();
    }

    public static Server of(String hostPort, int defaultPort, String secret) {
      return new Server(HostPort.parse(hostPort, defaultPort), secret.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }
  }
}
