package net.tinyisp.pppoe.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import net.tinyisp.ppp.lcp.AuthMethod;
import net.tinyisp.ppp.link.ClientEvent;
import net.tinyisp.ppp.link.ClientLink;
import net.tinyisp.ppp.link.LinkConfig;
import net.tinyisp.pppoe.discovery.DiscoveryConfig;
import net.tinyisp.pppoe.discovery.DiscoveryServer;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.PppoeFrame;
import net.tinyisp.pppoe.wire.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1000 subscribers dial at once, frame by frame, against one access concentrator: discovery, LCP, CHAP (accepted
 * inline as RADIUS would), IPv6CP. Every one ends up with its own session, all at the same time.
 */
class ManySubscribersTest {
  static final MacAddress AC = MacAddress.parse("02:00:00:00:00:01");

  record Wire(MacAddress to, byte[] frame) {}

  @Test
  void thousandConcurrentSessionsComeUp() {
    int n = 1000;
    AccessConcentrator ac = new AccessConcentrator(new DiscoveryServer(new DiscoveryConfig("bng", List.of(), 10_000, 5,
        100_000, "0123456789abcdef".getBytes()), AC, new SplittableRandom(1), 0), AC, LinkConfig.defaults("bng"),
        new SplittableRandom(2));
    Map<MacAddress, ClientLink> links = new HashMap<>();
    Map<MacAddress, Integer> sessions = new HashMap<>();
    Queue<Wire> toAc = new ArrayDeque<>();
    Queue<Wire> toClients = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      MacAddress mac = new MacAddress(0x5254_0000_0000L + i);
      links.put(mac, new ClientLink("user" + i, ("pass" + i).getBytes(StandardCharsets.UTF_8),
          List.of(AuthMethod.CHAP_MD5), new SplittableRandom(100 + i)));
      toAc.add(new Wire(AC, PppoeFrame.discovery(MacAddress.BROADCAST, mac, PppoeFrame.CODE_PADI, 0,
          List.of(Tag.text(Tag.SERVICE_NAME, ""))).toBytes()));
    }
    int up = 0;
    for (int rounds = 0; rounds < 100 && (!toAc.isEmpty() || !toClients.isEmpty()); rounds++) {
      for (Wire w; (w = toAc.poll()) != null; ) {
        for (AcAction a : ac.receive(w.frame(), w.frame().length, 0)) {
          switch (a) {
            case AcAction.SendFrame f -> toClients.add(new Wire(MacAddress.of(f.frame(), 0), f.frame()));
            case AcAction.Authenticate auth -> ac.authenticated(auth.sessionId(), true, null, 0)
                .forEach(x -> { if (x instanceof AcAction.SendFrame f) toClients.add(new Wire(MacAddress.of(f.frame(), 0), f.frame())); });
            case AcAction.SessionUp u -> up++;
            default -> { }
          }
        }
      }
      for (Wire w; (w = toClients.poll()) != null; ) {
        PppoeFrame f = PppoeFrame.parse(w.frame(), w.frame().length);
        MacAddress mac = f.destination();
        ClientLink link = links.get(mac);
        List<ClientEvent> events;
        if (f.code() == PppoeFrame.CODE_PADO) {
          toAc.add(new Wire(AC, PppoeFrame.discovery(AC, mac, PppoeFrame.CODE_PADR, 0,
              List.of(Tag.text(Tag.SERVICE_NAME, ""), f.tag(Tag.AC_COOKIE))).toBytes()));
          continue;
        } else if (f.code() == PppoeFrame.CODE_PADS) {
          sessions.put(mac, f.sessionId());
          events = link.start(0);
        } else {
          byte[] p = f.payload();
          events = link.receive((p[0] & 0xff) << 8 | p[1] & 0xff, java.util.Arrays.copyOfRange(p, 2, p.length), 0);
        }
        for (ClientEvent e : events) {
          if (e instanceof ClientEvent.Send s) {
            byte[] payload = new byte[2 + s.payload().length];
            payload[0] = (byte) (s.protocol() >> 8);
            payload[1] = (byte) s.protocol();
            System.arraycopy(s.payload(), 0, payload, 2, s.payload().length);
            toAc.add(new Wire(AC, new PppoeFrame(AC, mac, PppoeFrame.ETHERTYPE_SESSION, 0, sessions.get(mac), List.of(),
                payload).toBytes()));
          }
        }
      }
    }
    assertThat(up).isEqualTo(n);
    assertThat(ac.sessionCount()).isEqualTo(n);
    assertThat(links.values()).allMatch(ClientLink::isUp);
    assertThat(sessions.values()).doesNotHaveDuplicates();
  }
}
