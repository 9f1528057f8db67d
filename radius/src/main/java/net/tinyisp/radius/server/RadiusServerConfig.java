package net.tinyisp.radius.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.common.net.IpPrefix;

/**
 * The RADIUS server's settings (YAML key {@code radius}).
 *
 * <pre>
 * radius:
 *   auth: 127.0.0.1:1812          # Access-Request, Status-Server; "" disables
 *   acct: 127.0.0.1:1813          # Accounting-Request, Status-Server; "" disables
 *   clients:
 *     - address: 127.0.0.1        # address or subnet (CIDR)
 *       secret: testing123
 *       require-message-authenticator: true  # BlastRADIUS: default true; false only for old NAS
 *   dictionaries: [/usr/share/freeradius/dictionary.roaringpenguin]   # added to the shipped set
 *   receive-buffer-bytes: 8388608
 *   duplicate-window-seconds: 5        # replies kept for retransmissions (FreeRADIUS cleanup_delay = 5)
 *   max-in-flight: 8192                # requests waiting for a blocking lookup or an accounting commit
 *   receive-threads: 2                # sockets on the port (SO_REUSEPORT); default min(4, cores)
 * </pre>
 */
public record RadiusServerConfig(String auth, String acct, List<Client> clients, List<String> dictionaries,
    Integer receiveBufferBytes, Integer duplicateWindowSeconds, Integer maxInFlight, Integer receiveThreads) {

  public static final int DEFAULT_RECEIVE_BUFFER = 8 << 20;

  public RadiusServerConfig {
    auth = auth == null ? "127.0.0.1:1812" : auth.strip();
    acct = acct == null ? "127.0.0.1:1813" : acct.strip();
    if (!auth.isEmpty()) HostPort.parse(auth, 1812);
    if (!acct.isEmpty()) HostPort.parse(acct, 1813);
    clients = clients == null ? List.of() : List.copyOf(clients);
    dictionaries = dictionaries == null ? List.of() : List.copyOf(dictionaries);
    receiveBufferBytes = receiveBufferBytes == null ? DEFAULT_RECEIVE_BUFFER : receiveBufferBytes;
    duplicateWindowSeconds = duplicateWindowSeconds == null ? 5 : duplicateWindowSeconds;
    maxInFlight = maxInFlight == null ? 8192 : maxInFlight;
    receiveThreads = receiveThreads == null ? Math.min(4, Runtime.getRuntime().availableProcessors()) : receiveThreads;
    if (receiveThreads < 1 || receiveThreads > 64) throw new IllegalArgumentException("receive-threads must be 1..64");
    if (receiveBufferBytes < 65536) throw new IllegalArgumentException("receive-buffer-bytes must be >= 65536");
    if (duplicateWindowSeconds < 0) throw new IllegalArgumentException("duplicate-window-seconds must be >= 0");
    if (maxInFlight < 1) throw new IllegalArgumentException("max-in-flight must be >= 1");
  }

  /** One NAS or subnet of NASes. */
  public record Client(String address, String secret, Boolean requireMessageAuthenticator, String name) {
    public Client {
      if (address == null) throw new IllegalArgumentException("a client needs an address (e.g. 127.0.0.1 or 10.0.0.0/8)");
      IpPrefix.parse(address);
      if (secret == null || secret.isEmpty()) {
        throw new IllegalArgumentException("client " + address + " needs a non-empty secret");
      }
      requireMessageAuthenticator = requireMessageAuthenticator == null || requireMessageAuthenticator;
      name = name == null ? address : name;
    }

    public Client(String address, String secret) {
      this(address, secret, null, null);
    }

    public NasClient toNasClient() {
      return new NasClient(name, IpPrefix.parse(address), secret.getBytes(StandardCharsets.UTF_8),
          requireMessageAuthenticator);
    }
  }

  public HostPort authAddress() {
    return auth.isEmpty() ? null : HostPort.parse(auth, 1812);
  }

  public HostPort acctAddress() {
    return acct.isEmpty() ? null : HostPort.parse(acct, 1813);
  }

  public RadiusServerConfig withPorts(String auth, String acct) {
    return new RadiusServerConfig(auth, acct, clients, dictionaries, receiveBufferBytes, duplicateWindowSeconds,
        maxInFlight, receiveThreads);
  }
}
