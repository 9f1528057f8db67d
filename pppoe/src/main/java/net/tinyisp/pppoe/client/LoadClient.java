package net.tinyisp.pppoe.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import net.tinyisp.ppp.lcp.AuthMethod;
import net.tinyisp.ppp.link.ClientEvent;
import net.tinyisp.ppp.link.ClientLink;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.MalformedFrameException;
import net.tinyisp.pppoe.wire.PppoeFrame;
import net.tinyisp.pppoe.wire.Tag;

/**
 * Many PPPoE subscribers in one process, for testing an access concentrator (tinyisp's or another): each one runs
 * discovery (PADI with retransmission, PADR with the AC-Cookie) and then a {@link ClientLink}. Pure: frames and
 * a time in, frames out; {@code LoadClientRunner} does the I/O.
 */
public final class LoadClient {
  /** Told when a subscriber's IPv6CP opens and when its session ends (the data path's hook). */
  public interface SessionListener {
    void up(int index, String user, MacAddress mac, MacAddress ac, int sessionId, long localId, long peerId);

    void down(int index, int sessionId, String why);
  }

  /** One simulated subscriber router. */
  static final class Subscriber {
    final int index;
    final MacAddress mac;
    final String user;
    final byte[] password;
    MacAddress ac;
    int sessionId;
    ClientLink link;
    long startedNanos = -1;
    long upNanos = -1;
    long nextPadi = -1;
    int padis;
    boolean failed;
    long scheduledAt = -1;

    Subscriber(int index, MacAddress mac, String user, byte[] password) {
      this.index = index;
      this.mac = mac;
      this.user = user;
      this.password = password;
    }
  }

  private final List<AuthMethod> auth;
  private final RandomGenerator random;
  private final Map<MacAddress, Subscriber> byMac = new HashMap<>();
  private final List<Subscriber> all = new ArrayList<>();
  // each subscriber's next PADI retransmission or PPP timer, earliest first; entries whose time no longer matches
  // the subscriber's scheduledAt are stale (a scan of every subscriber per turn did not scale to 10,000)
  private record Timer(long at, Subscriber s) {}
  private final java.util.PriorityQueue<Timer> timers = new java.util.PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private int upCount;
  private int failedCount;
  private long framesIgnored;
  private SessionListener listener;

  public LoadClient(List<AuthMethod> auth, RandomGenerator random) {
    this.auth = List.copyOf(auth);
    this.random = random;
  }

  public void listener(SessionListener listener) {
    this.listener = listener;
  }

  /** Adds a subscriber with a random locally administered MAC. */
  public void add(String user, String password) {
    MacAddress mac;
    do {
      mac = new MacAddress((random.nextLong() & 0xffff_ffff_ffffL & ~0x0100_0000_0000L) | 0x0200_0000_0000L);
    } while (byMac.containsKey(mac));
    Subscriber s = new Subscriber(all.size(), mac, user, password.getBytes(StandardCharsets.UTF_8));
    byMac.put(mac, s);
    all.add(s);
  }

  public int size() {
    return all.size();
  }

  public boolean owns(MacAddress mac) {
    return byMac.containsKey(mac);
  }

  /** Starts subscriber {@code i}: its first PADI. */
  public List<byte[]> dial(int i, long now) {
    Subscriber s = all.get(i);
    s.startedNanos = now;
    byte[] padi = padi(s, now);
    schedule(s);
    return List.of(padi);
  }

  private byte[] padi(Subscriber s, long now) {
    s.padis++;
    // RFC 2516 §5.1 does not fix the retry; pppd's rp-pppoe plugin waits 5 s, then doubles
    s.nextPadi = now + 5_000_000_000L * (1L << Math.min(3, s.padis - 1));
    return PppoeFrame.discovery(MacAddress.BROADCAST, s.mac, PppoeFrame.CODE_PADI, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""), new Tag(Tag.HOST_UNIQ, Arrays.copyOf(s.user.getBytes(StandardCharsets.UTF_8), 8))))
        .toBytes();
  }

  public List<byte[]> receive(byte[] frame, int length, long now) {
    List<byte[]> out = new ArrayList<>();
    PppoeFrame f;
    try {
      f = PppoeFrame.parse(frame, length);
    } catch (MalformedFrameException e) {
      framesIgnored++;
      return out;
    }
    Subscriber s = byMac.get(f.destination());
    if (s == null) {
      framesIgnored++;
      return out;
    }
    switch (f.code()) {
      case PppoeFrame.CODE_PADO -> {
        if (s.ac != null || s.link != null) return out; // first PADO wins (§5.2)
        s.ac = f.source();
        List<Tag> tags = new ArrayList<>(List.of(Tag.text(Tag.SERVICE_NAME, "")));
        if (f.tag(Tag.AC_COOKIE) != null) tags.add(f.tag(Tag.AC_COOKIE));
        if (f.tag(Tag.HOST_UNIQ) != null) tags.add(f.tag(Tag.HOST_UNIQ));
        out.add(PppoeFrame.discovery(s.ac, s.mac, PppoeFrame.CODE_PADR, 0, tags).toBytes());
      }
      case PppoeFrame.CODE_PADS -> {
        if (s.link != null || f.sessionId() == 0) {
          if (f.sessionId() == 0) fail(s); // AC-System-Error, Service-Name-Error
          return out;
        }
        s.sessionId = f.sessionId();
        s.nextPadi = -1;
        s.link = new ClientLink(s.user, s.password, auth, random);
        link(s, s.link.start(now), now, out);
      }
      case PppoeFrame.CODE_PADT -> {
        if (f.sessionId() == s.sessionId) {
          boolean wasUp = s.upNanos >= 0 && !s.failed;
          fail(s);
          if (listener != null && wasUp) listener.down(s.index, s.sessionId, "PADT");
        }
      }
      case PppoeFrame.CODE_SESSION -> {
        if (s.link == null || f.sessionId() != s.sessionId) return out;
        byte[] p = f.payload();
        if (p.length < 2) return out;
        link(s, s.link.receive((p[0] & 0xff) << 8 | p[1] & 0xff, Arrays.copyOfRange(p, 2, p.length), now), now, out);
      }
      default -> framesIgnored++;
    }
    schedule(s);
    return out;
  }

  private void fail(Subscriber s) {
    if (s.failed) return;
    s.failed = true;
    failedCount++;
  }

  private void schedule(Subscriber s) {
    long at = s.failed ? -1 : s.link != null ? s.link.deadline() : s.nextPadi;
    if (at == s.scheduledAt) return;
    s.scheduledAt = at;
    if (at >= 0) timers.add(new Timer(at, s));
  }

  private void link(Subscriber s, List<ClientEvent> events, long now, List<byte[]> out) {
    for (ClientEvent e : events) {
      switch (e) {
        case ClientEvent.Send send -> {
          byte[] payload = new byte[2 + send.payload().length];
          payload[0] = (byte) (send.protocol() >> 8);
          payload[1] = (byte) send.protocol();
          System.arraycopy(send.payload(), 0, payload, 2, send.payload().length);
          out.add(new PppoeFrame(s.ac, s.mac, PppoeFrame.ETHERTYPE_SESSION, 0, s.sessionId, List.of(), payload).toBytes());
        }
        case ClientEvent.Up up -> {
          if (s.upNanos < 0) upCount++;
          s.upNanos = now;
          if (listener != null) listener.up(s.index, s.user, s.mac, s.ac, s.sessionId, up.localIdentifier(), up.peerIdentifier());
        }
        case ClientEvent.AuthFailed f -> fail(s);
        case ClientEvent.Finished f -> {
          if (s.upNanos < 0) fail(s);
          else if (listener != null) listener.down(s.index, s.sessionId, "LCP finished");
        }
        case ClientEvent.Ipv6Packet p -> { }
      }
    }
  }

  /** Retransmissions (PADI, PPP timers). */
  public List<byte[]> tick(long now) {
    List<byte[]> out = new ArrayList<>();
    List<Subscriber> due = new ArrayList<>();
    for (Timer t; (t = timers.peek()) != null && t.at <= now; ) {
      timers.poll();
      if (t.s.scheduledAt != t.at) continue; // stale
      t.s.scheduledAt = -1;
      due.add(t.s);
    }
    for (Subscriber s : due) {
      if (s.failed || s.startedNanos < 0) continue;
      if (s.link == null && s.nextPadi >= 0 && now >= s.nextPadi) {
        s.ac = null;
        out.add(padi(s, now));
      }
      if (s.link != null) {
        long d = s.link.deadline();
        if (d >= 0 && d <= now) link(s, s.link.tick(now), now, out);
      }
      schedule(s);
    }
    return out;
  }

  /** Ends every session from the subscribers' side: LCP Terminate-Request, then PADT. */
  public List<byte[]> hangUp(long now) {
    List<byte[]> out = new ArrayList<>();
    for (Subscriber s : all) {
      if (s.link == null) continue;
      link(s, s.link.close(now), now, out);
      out.add(PppoeFrame.discovery(s.ac, s.mac, PppoeFrame.CODE_PADT, s.sessionId, List.of()).toBytes());
    }
    return out;
  }

  public int upCount() {
    return upCount;
  }

  public int failedCount() {
    return failedCount;
  }

  public long framesIgnored() {
    return framesIgnored;
  }

  /** Setup times (PADI to IPv6CP up) in nanoseconds, sorted, of the subscribers that are up. */
  public long[] setupTimes() {
    return all.stream().filter(s -> s.upNanos >= 0).mapToLong(s -> s.upNanos - s.startedNanos).sorted().toArray();
  }
}
