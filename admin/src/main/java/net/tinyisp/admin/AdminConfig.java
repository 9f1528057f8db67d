package net.tinyisp.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import net.tinyisp.common.net.HostPort;

/**
 * The admin listener. Loopback only by default: the API can terminate sessions and change rates, so exposing it is
 * an explicit operator decision.
 *
 * @param listen addresses to serve on, {@code ADDRESS:PORT}; default {@code 127.0.0.1:9053}
 * @param enabled false turns the listener off (metrics are then not scraped)
 */
public record AdminConfig(@JsonProperty("listen") List<String> listen, @JsonProperty("enabled") Boolean enabled) {
  public static final int DEFAULT_PORT = 9053;

  public AdminConfig {
    listen = listen == null || listen.isEmpty() ? List.of("127.0.0.1:" + DEFAULT_PORT) : List.copyOf(listen);
    enabled = enabled == null ? Boolean.TRUE : enabled;
    for (String l : listen) {
      HostPort.parse(l, DEFAULT_PORT); // fail at start, with the key's line, not at bind time
    }
  }

  public static AdminConfig defaults() {
    return new AdminConfig(null, null);
  }

  public List<HostPort> listenAddresses() {
    return listen.stream().map(l -> HostPort.parse(l, DEFAULT_PORT)).toList();
  }
}
