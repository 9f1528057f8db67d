package net.tinyisp.subscribers.caps;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import net.tinyisp.common.net.HostPort;
import net.tinyisp.radius.client.DynamicAuthorizationSender;
import net.tinyisp.radius.client.RadiusClient;
import net.tinyisp.radius.client.RadiusClientConfig;
import net.tinyisp.radius.client.RadiusTimeoutException;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;
import net.tinyisp.radius.server.ReplyItem;
import net.tinyisp.radius.wire.RawAttribute;

/**
 * {@link NasCommands} over the radius module's {@link DynamicAuthorizationSender}: one client per NAS, on the
 * NAS's CoA port (3799, RFC 5176 §3.2) with its secret; Message-Authenticator on every request; retransmission
 * with backoff; the Response Authenticator of the answer verified.
 */
public final class RadiusNasCommands implements NasCommands, AutoCloseable {
  private final Function<String, Optional<String>> secrets;
  private final int port;
  private final Duration timeout;
  private final int attempts;
  private final AttributeCodec codec;
  private final ConcurrentHashMap<String, DynamicAuthorizationSender> senders = new ConcurrentHashMap<>();
  private final List<RadiusClient> clients = new ArrayList<>();

  public RadiusNasCommands(Function<String, Optional<String>> secrets, int port, Duration timeout, int attempts,
      Dictionary dictionary) {
    this.secrets = secrets;
    this.port = port;
    this.timeout = timeout;
    this.attempts = attempts;
    this.codec = new AttributeCodec(dictionary);
  }

  public static RadiusNasCommands of(List<NasSecret> table, int port, Duration timeout, int attempts,
      Dictionary dictionary) {
    return new RadiusNasCommands(nas -> NasSecret.lookup(table, nas), port, timeout, attempts, dictionary);
  }

  @Override
  public Answer coa(NasSession session, List<ReplyItem> attributes) {
    return send(session, attributes, false);
  }

  @Override
  public Answer disconnect(NasSession session) {
    // RFC 5176 §3: User-Name and Acct-Session-Id identify the session to end
    return send(session, List.of(new ReplyItem("User-Name", session.username()),
        new ReplyItem("Acct-Session-Id", session.sessionId())), true);
  }

  private Answer send(NasSession session, List<ReplyItem> attributes, boolean disconnect) {
    DynamicAuthorizationSender sender;
    List<RawAttribute> raw = new ArrayList<>();
    try {
      sender = sender(session.nas());
      if (sender == null) return new Answer(Result.ERROR, "no secret configured for NAS " + session.nas());
      for (ReplyItem i : attributes) raw.add(codec.encode(i.attribute(), i.value()));
    } catch (IOException | IllegalArgumentException e) {
      return new Answer(Result.ERROR, e.getMessage());
    }
    try {
      DynamicAuthorizationSender.Result r = disconnect ? sender.disconnect(raw) : sender.coa(raw);
      String detail = r.errorCause() == 0 ? null : "Error-Cause=" + r.errorCause();
      return new Answer(r.acknowledged() ? Result.ACK : Result.NAK, detail);
    } catch (RadiusTimeoutException e) {
      return new Answer(Result.TIMEOUT, e.getMessage());
    } catch (IOException e) {
      return new Answer(Result.ERROR, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(Result.ERROR, "interrupted");
    }
  }

  private DynamicAuthorizationSender sender(String nas) throws IOException {
    DynamicAuthorizationSender s = senders.get(nas);
    if (s != null) return s;
    Optional<String> secret = secrets.apply(nas);
    if (secret.isEmpty()) return null;
    synchronized (this) {
      s = senders.get(nas);
      if (s != null) return s;
      RadiusClientConfig.Server server = new RadiusClientConfig.Server(
          new HostPort(InetAddress.ofLiteral(nas), port), secret.get().getBytes(StandardCharsets.UTF_8));
      Duration max = timeout.multipliedBy(4);
      RadiusClient client = new RadiusClient(RadiusClientConfig.of(List.of(server))
          .withTimeouts(timeout, max, attempts));
      clients.add(client);
      s = new DynamicAuthorizationSender(client);
      senders.put(nas, s);
      return s;
    }
  }

  @Override
  public synchronized void close() {
    for (RadiusClient c : clients) c.close();
    clients.clear();
    senders.clear();
  }
}
