package net.tinyisp.radius.client;

import java.io.IOException;

/** No server gave a valid answer after every retransmission to every server. */
public final class RadiusTimeoutException extends IOException {
  public RadiusTimeoutException(String message) {
    super(message);
  }
}
