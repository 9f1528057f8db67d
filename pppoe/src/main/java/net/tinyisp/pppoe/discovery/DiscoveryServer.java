package net.tinyisp.pppoe.discovery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import net.tinyisp.pppoe.DropReason;
import net.tinyisp.pppoe.discovery.DiscoveryAction.Drop;
import net.tinyisp.pppoe.discovery.DiscoveryAction.Send;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.PppoeFrame;
import net.tinyisp.pppoe.wire.Tag;

/**
 * RFC 2516 §5, the access concentrator's side of discovery: PADI -> PADO, PADR -> PADS, PADT both ways. Pure: a
 * frame and a time in, frames to send and session events out. It owns SESSION_ID allocation (unique, never 0 or
 * 0xffff) and the (MAC, SESSION_ID) table, so a repeated PADR gets the same PADS instead of a second session.
 */
public final class DiscoveryServer {
  private static final int MAX_TRACKED_MACS = 65_536;

  private final DiscoveryConfig config;
  private final MacAddress ourMac;
  private final AcCookie cookies;
  private final RandomGenerator random;
  private final RateLimiter global;
  private final Map<MacAddress, RateLimiter> perMac;
  private final Map<Integer, MacAddress> sessions = new HashMap<>();
  private final Map<MacAddress, Map<String, Integer>> byClient = new HashMap<>();

  public DiscoveryServer(DiscoveryConfig config, MacAddress ourMac, RandomGenerator random, long now) {
    this.config = config;
    this.ourMac = ourMac;
    this.cookies = new AcCookie(config.cookieSecret());
    this.random = random;
    this.global = new RateLimiter(config.padiPerSecond(), config.padiPerSecond() * 2, now);
    // bounded: a flood from random source MACs evicts the oldest entries instead of growing without limit
    this.perMac = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<MacAddress, RateLimiter> e) {
        return size() > MAX_TRACKED_MACS;
      }
    };
  }

  public int sessionCount() {
    return sessions.size();
  }

  public List<DiscoveryAction> handle(PppoeFrame f, long now) {
    if (f.source().isMulticast()) return List.of(new Drop(DropReason.MULTICAST_SOURCE));
    return switch (f.code()) {
      case PppoeFrame.CODE_PADI -> padi(f, now);
      case PppoeFrame.CODE_PADR -> padr(f, now);
      case PppoeFrame.CODE_PADT -> padt(f);
      default -> List.of(new Drop(DropReason.UNEXPECTED_CODE));
    };
  }

  /** Ends a session from our side (admin terminate, LCP down, RADIUS disconnect): the PADT to send (§5.5). */
  public List<DiscoveryAction> terminate(int sessionId, String reason) {
    MacAddress client = sessions.remove(sessionId);
    if (client == null) return List.of();
    forget(client, sessionId);
    List<Tag> tags = reason == null ? List.of() : List.of(Tag.text(Tag.GENERIC_ERROR, reason));
    return List.of(new Send(PppoeFrame.discovery(client, ourMac, PppoeFrame.CODE_PADT, sessionId, tags)));
  }

  private List<DiscoveryAction> padi(PppoeFrame f, long now) {
    if (!f.destination().equals(MacAddress.BROADCAST)) return List.of(new Drop(DropReason.PADI_NOT_BROADCAST));
    if (f.sessionId() != 0) return List.of(new Drop(DropReason.BAD_SESSION_ID));
    if (f.count(Tag.SERVICE_NAME) != 1) return List.of(new Drop(DropReason.SERVICE_NAME_MISSING));
    RateLimiter mine = perMac.computeIfAbsent(f.source(),
        m -> new RateLimiter(config.padiPerMacPerSecond(), config.padiPerMacPerSecond() * 3, now));
    if (!mine.tryTake(now)) return List.of(new Drop(DropReason.PADI_RATE_MAC));
    if (!global.tryTake(now)) return List.of(new Drop(DropReason.PADI_RATE_GLOBAL));
    String wanted = f.tag(Tag.SERVICE_NAME).text();
    if (!offers(wanted)) {
      // §5.2: an AC that cannot serve the request does not answer the PADI; another AC may
      return List.of(new Drop(DropReason.SERVICE_NOT_OFFERED));
    }
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.text(Tag.AC_NAME, config.acName()));
    if (config.serviceNames().isEmpty()) {
      tags.add(Tag.text(Tag.SERVICE_NAME, wanted));
    } else if (wanted.isEmpty()) {
      for (String s : config.serviceNames()) tags.add(Tag.text(Tag.SERVICE_NAME, s)); // §5.2: all we offer
    } else {
      tags.add(Tag.text(Tag.SERVICE_NAME, wanted));
    }
    tags.add(new Tag(Tag.AC_COOKIE, cookies.make(f.source(), now)));
    echo(f, tags);
    return List.of(new Send(PppoeFrame.discovery(f.source(), ourMac, PppoeFrame.CODE_PADO, 0, tags)));
  }

  private List<DiscoveryAction> padr(PppoeFrame f, long now) {
    if (!f.destination().equals(ourMac)) return List.of(new Drop(DropReason.NOT_FOR_US));
    if (f.sessionId() != 0) return List.of(new Drop(DropReason.BAD_SESSION_ID));
    if (f.count(Tag.SERVICE_NAME) != 1) return List.of(new Drop(DropReason.SERVICE_NAME_MISSING));
    Tag cookie = f.tag(Tag.AC_COOKIE);
    if (cookie == null || !cookies.valid(f.source(), cookie.value(), now)) return List.of(new Drop(DropReason.BAD_COOKIE));
    String service = f.tag(Tag.SERVICE_NAME).text();
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.text(Tag.SERVICE_NAME, service));
    tags.add(Tag.text(Tag.AC_NAME, config.acName()));
    echo(f, tags);
    if (!offers(service)) {
      tags.add(Tag.text(Tag.SERVICE_NAME_ERROR, "service '" + service + "' is not offered"));
      return List.of(new Send(PppoeFrame.discovery(f.source(), ourMac, PppoeFrame.CODE_PADS, 0, tags)));
    }
    // a retransmitted PADR (our PADS was lost) gets the same session, keyed by MAC and Host-Uniq
    String key = hostUniqKey(f);
    Integer existing = byClient.getOrDefault(f.source(), Map.of()).get(key);
    if (existing != null) {
      return List.of(new Send(PppoeFrame.discovery(f.source(), ourMac, PppoeFrame.CODE_PADS, existing, tags)));
    }
    if (sessions.size() >= config.maxSessions()) {
      tags.add(Tag.text(Tag.AC_SYSTEM_ERROR, "session limit reached"));
      return List.of(new Send(PppoeFrame.discovery(f.source(), ourMac, PppoeFrame.CODE_PADS, 0, tags)));
    }
    int id = allocate();
    sessions.put(id, f.source());
    byClient.computeIfAbsent(f.source(), m -> new HashMap<>()).put(key, id);
    return List.of(new Send(PppoeFrame.discovery(f.source(), ourMac, PppoeFrame.CODE_PADS, id, tags)),
        new DiscoveryAction.SessionOpened(f.source(), id, service));
  }

  private List<DiscoveryAction> padt(PppoeFrame f) {
    MacAddress owner = sessions.get(f.sessionId());
    if (owner == null || !owner.equals(f.source()) || !f.destination().equals(ourMac)) {
      return List.of(new Drop(DropReason.PADT_UNKNOWN_SESSION));
    }
    sessions.remove(f.sessionId());
    forget(f.source(), f.sessionId());
    return List.of(new DiscoveryAction.SessionClosedByPeer(f.source(), f.sessionId()));
  }

  private void forget(MacAddress client, int sessionId) {
    Map<String, Integer> m = byClient.get(client);
    if (m != null) {
      m.values().removeIf(v -> v == sessionId);
      if (m.isEmpty()) byClient.remove(client);
    }
  }

  private boolean offers(String service) {
    return config.serviceNames().isEmpty() || service.isEmpty() || config.serviceNames().contains(service);
  }

  /** §5.2-5.4: Host-Uniq and Relay-Session-Id come back unchanged in every answer. */
  private static void echo(PppoeFrame f, List<Tag> tags) {
    Tag hostUniq = f.tag(Tag.HOST_UNIQ);
    if (hostUniq != null) tags.add(hostUniq);
    Tag relay = f.tag(Tag.RELAY_SESSION_ID);
    if (relay != null) tags.add(relay);
  }

  private static String hostUniqKey(PppoeFrame f) {
    Tag h = f.tag(Tag.HOST_UNIQ);
    return h == null ? "" : java.util.HexFormat.of().formatHex(h.value());
  }

  private int allocate() {
    // random IDs make a session harder to guess for an off-path PADT; the table is at most 65534 entries
    while (true) {
      int id = 1 + random.nextInt(0xfffe);
      if (!sessions.containsKey(id)) return id;
    }
  }
}
