package net.tinyisp.pppoe.aaa;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.tinyisp.common.net.IpPrefix;
import net.tinyisp.ppp.link.LinkEvent;
import net.tinyisp.radius.client.RadiusClient;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import net.tinyisp.shaping.SpeedLimits;

/**
 * {@link Aaa} over RADIUS (RFC 2865/2866): Access-Request with the attributes a PPPoE NAS sends (NAS-Identifier,
 * NAS-Port, NAS-Port-Type = Ethernet, Service-Type = Framed-User, Framed-Protocol = PPP, Calling-Station-Id = MAC,
 * User-Password or CHAP-Password + CHAP-Challenge); the reply's prefixes, timeouts, interim interval and speed
 * limits become an {@link Authorization}. Requests run on virtual threads, so the packet loop never waits.
 */
public final class RadiusAaa implements Aaa, AutoCloseable {
  private final RadiusClient auth;
  private final RadiusClient accounting;
  private final AttributeCodec codec;
  private final String nasIdentifier;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  public RadiusAaa(RadiusClient auth, RadiusClient accounting, AttributeCodec codec, String nasIdentifier) {
    this.auth = auth;
    this.accounting = accounting;
    this.codec = codec;
    this.nasIdentifier = nasIdentifier;
  }

  @Override
  public CompletionStage<Authorization> authenticate(Caller caller, LinkEvent.Credentials credentials) {
    return CompletableFuture.supplyAsync(() -> {
      List<RawAttribute> attrs = new ArrayList<>(nasAttributes(caller));
      attrs.add(codec.encode("User-Name", credentials.username()));
      byte[] password = null;
      switch (credentials) {
        case LinkEvent.PapCredentials pap -> password = pap.password();
        case LinkEvent.ChapCredentials chap -> {
          // RFC 2865 §5.3: CHAP Ident followed by the 16-octet response; §5.40: the challenge
          byte[] chapPassword = ByteBuffer.allocate(1 + chap.response().length).put((byte) chap.identifier())
              .put(chap.response()).array();
          attrs.add(new RawAttribute(StandardTypes.CHAP_PASSWORD, chapPassword));
          attrs.add(new RawAttribute(StandardTypes.CHAP_CHALLENGE, chap.challenge()));
        }
      }
      try {
        RadiusClient.Response r = auth.send(new RadiusClient.Request(Code.ACCESS_REQUEST, attrs, password));
        return authorization(r);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Authorization.reject("interrupted");
      } catch (Exception e) {
        return Authorization.reject("RADIUS unavailable: " + e.getMessage());
      }
    }, threads);
  }

  private List<RawAttribute> nasAttributes(Caller caller) {
    return List.of(
        codec.encode("NAS-Identifier", nasIdentifier),
        codec.encode("NAS-Port", String.valueOf(caller.sessionId())),
        codec.encode("NAS-Port-Type", "Ethernet"),
        codec.encode("Service-Type", "Framed-User"),
        codec.encode("Framed-Protocol", "PPP"),
        codec.encode("Calling-Station-Id", caller.callingStationId()));
  }

  private Authorization authorization(RadiusClient.Response r) {
    Map<String, String> reply = new HashMap<>();
    String message = null;
    for (AttributeCodec.NamedValue nv : codec.decode(r.packet())) {
      reply.putIfAbsent(nv.name(), nv.value());
      if (nv.name().equals("Reply-Message")) message = nv.value();
    }
    if (r.code() != Code.ACCESS_ACCEPT) {
      return Authorization.reject(message != null ? message : "Authentication failed");
    }
    SpeedLimits limits;
    try {
      limits = SpeedLimits.fromAttributes(reply);
    } catch (IllegalArgumentException e) {
      limits = SpeedLimits.NONE; // a malformed vendor attribute must not lock the subscriber out; it runs unshaped
    }
    return new Authorization(true, message, prefix(reply.get("Framed-IPv6-Prefix")), prefix(reply.get("Delegated-IPv6-Prefix")),
        integer(reply.get("Session-Timeout")), integer(reply.get("Idle-Timeout")), integer(reply.get("Acct-Interim-Interval")),
        limits.download() == null ? null : limits.download().rateBps() / 1000,
        limits.upload() == null ? null : limits.upload().rateBps() / 1000, limits);
  }

  private static IpPrefix prefix(String v) {
    try {
      return v == null ? null : IpPrefix.parse(v);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Integer integer(String v) {
    try {
      return v == null ? null : Integer.valueOf(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public CompletionStage<Void> accounting(AccountingEvent e) {
    return CompletableFuture.runAsync(() -> {
      List<RawAttribute> attrs = new ArrayList<>(nasAttributes(e.caller()));
      attrs.add(codec.encode("Acct-Status-Type", switch (e.kind()) {
        case START -> "Start";
        case INTERIM -> "Interim-Update";
        case STOP -> "Stop";
      }));
      attrs.add(codec.encode("Acct-Session-Id", e.acctSessionId()));
      attrs.add(codec.encode("Acct-Multi-Session-Id", e.multiSessionId()));
      if (e.username() != null) attrs.add(codec.encode("User-Name", e.username()));
      attrs.add(codec.encode("Event-Timestamp", String.valueOf(System.currentTimeMillis() / 1000)));
      if (e.link() != null) attrs.add(codec.encode("Framed-IPv6-Prefix", e.link().toString()));
      if (e.delegated() != null) attrs.add(codec.encode("Delegated-IPv6-Prefix", e.delegated().toString()));
      if (e.kind() != AccountingEvent.Kind.START) {
        Usage u = e.usage();
        // RFC 2869 §5.1-5.2: the octet counters wrap at 2^32 and Gigawords counts the wraps
        attrs.add(codec.encode("Acct-Input-Octets", String.valueOf(u.inputOctets() & 0xffffffffL)));
        attrs.add(codec.encode("Acct-Output-Octets", String.valueOf(u.outputOctets() & 0xffffffffL)));
        attrs.add(codec.encode("Acct-Input-Gigawords", String.valueOf(u.inputOctets() >>> 32)));
        attrs.add(codec.encode("Acct-Output-Gigawords", String.valueOf(u.outputOctets() >>> 32)));
        attrs.add(codec.encode("Acct-Input-Packets", String.valueOf(u.inputPackets() & 0xffffffffL)));
        attrs.add(codec.encode("Acct-Output-Packets", String.valueOf(u.outputPackets() & 0xffffffffL)));
        attrs.add(codec.encode("Acct-Session-Time", String.valueOf(e.sessionSeconds())));
      }
      if (e.kind() == AccountingEvent.Kind.STOP && e.cause() != null) {
        attrs.add(new RawAttribute(49, ByteBuffer.allocate(4).putInt(e.cause().radiusValue()).array()));
      }
      try {
        accounting.send(new RadiusClient.Request(Code.ACCOUNTING_REQUEST, attrs));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      } catch (Exception ex) {
        throw new IllegalStateException("accounting " + e.kind() + " for " + e.acctSessionId() + " not acknowledged: " + ex.getMessage(), ex);
      }
    }, threads);
  }

  @Override
  public void close() {
    threads.close();
    auth.close();
    if (accounting != auth) accounting.close();
  }

}
