package net.tinyisp.radius.server;

import java.nio.charset.StandardCharsets;
import net.tinyisp.common.net.IpPrefix;

/**
 * One RADIUS client (a NAS) or a subnet of them sharing a secret (RFC 2865 §3: the secret is per client).
 *
 * @param requireMessageAuthenticator drop Access-Requests without a valid Message-Authenticator (BlastRADIUS,
 *     CVE-2024-3596); true unless an old NAS cannot send one
 */
public record NasClient(String name, IpPrefix prefix, byte[] secret, boolean requireMessageAuthenticator) {
  public NasClient {
    if (secret.length == 0) throw new IllegalArgumentException("client " + name + ": the secret must not be empty");
    secret = secret.clone();
  }

  public static NasClient of(String prefix, String secret) {
    return new NasClient(prefix, IpPrefix.parse(prefix), secret.getBytes(StandardCharsets.UTF_8), true);
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  public byte[] secretUnsafe() {
    return secret;
  }
}
