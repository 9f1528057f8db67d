package net.tinyisp.radius.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;

/**
 * Sends CoA-Request and Disconnect-Request (RFC 5176) to a NAS through a {@link RadiusClient} configured with the
 * NAS's address (port 3799) and secret; Message-Authenticator is always included. Returns whether the NAS acknowledged
 * and, on NAK, its Error-Cause.
 */
public final class DynamicAuthorizationSender {
  private final RadiusClient client;

  public DynamicAuthorizationSender(RadiusClient client) {
    this.client = client;
  }

  /** The NAS's answer. {@code errorCause} is 0 when absent. */
  public record Result(boolean acknowledged, int errorCause, RadiusClient.Response response) {}

  /** CoA-Request: the attributes identify the session (User-Name, Acct-Session-Id...) and carry the new service. */
  public Result coa(List<RawAttribute> attributes) throws IOException, InterruptedException {
    return send(Code.COA_REQUEST, attributes);
  }

  public Result disconnect(List<RawAttribute> attributes) throws IOException, InterruptedException {
    return send(Code.DISCONNECT_REQUEST, attributes);
  }

  private Result send(Code code, List<RawAttribute> attributes) throws IOException, InterruptedException {
    RadiusClient.Response r = client.send(new RadiusClient.Request(code, attributes));
    Code c = r.code();
    boolean ack = c == Code.COA_ACK || c == Code.DISCONNECT_ACK;
    if (!ack && c != Code.COA_NAK && c != Code.DISCONNECT_NAK) {
      throw new IOException("unexpected answer " + r.packet() + " to " + code.text());
    }
    RawAttribute ec = r.packet().first(StandardTypes.ERROR_CAUSE);
    int cause = ec != null && ec.value().length == 4 ? ByteBuffer.wrap(ec.value()).getInt() : 0;
    return new Result(ack, cause, r);
  }
}
