package net.tinyisp.nat64.steps;

import static net.tinyisp.nat64.steps.TestPackets.*;
import static net.tinyisp.nat64.steps.TranslationTest.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.tinyisp.nat64.config.Nat64Config;
import net.tinyisp.nat64.config.Pool4Entry;
import net.tinyisp.nat64.config.PortRange;
import net.tinyisp.nat64.config.StaticBibEntry;
import net.tinyisp.nat64.config.Timers;
import net.tinyisp.nat64.state.L4Protocol;
import net.tinyisp.nat64.state.TcpState;
import net.tinyisp.nat64.wire.Bytes;
import org.junit.jupiter.api.Test;

/** Timers, limits, exhaustion, filtering and static bindings with a fake clock. */
class StatefulTest {
  static Nat64Config cfg(PortRange r, Integer perSource, Nat64Config.Filtering f, List<StaticBibEntry> st) {
    return new Nat64Config("2001:db8:64::/96", List.of(new Pool4Entry(POOL4, r, r, r)), Timers.DEFAULTS, perSource, f,
        null, st, null, null, null, null, null, null);
  }

  @Test
  void udpSessionExpiresAfterFiveMinutes() {
    Harness h = new Harness(config());
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.only();
    h.clock.millis += 299_000;
    h.state.expire();
    assertThat(h.state.table(L4Protocol.UDP).bibCount()).isEqualTo(1);
    h.clock.millis += 2_000;
    h.state.expire();
    assertThat(h.state.table(L4Protocol.UDP).bibCount()).isZero();
    assertThat(h.state.table(L4Protocol.UDP).ports().inUse()).isZero();
    assertThat(h.send(v4(SERVER4, POOL4, 17, 64, 0, 0, udp(53, 5000, HELLO)))).isEqualTo(Verdict.DROP);
  }

  @Test
  void cachedSessionsDieWithTheirTable() {
    Harness h = new Harness(config());
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    assertThat(h.send(v4(SERVER4, POOL4, 17, 64, 0, 0, udp(53, 5000, HELLO)))).isEqualTo(Verdict.CONTINUE);
    assertThat(h.send(v4(SERVER4, POOL4, 17, 64, 0, 0, udp(53, 5000, HELLO)))).isEqualTo(Verdict.CONTINUE);
    h.clock.millis += 301_000;
    h.state.expire();
    assertThat(h.send(v4(SERVER4, POOL4, 17, 64, 0, 0, udp(53, 5000, HELLO)))).isEqualTo(Verdict.DROP);
    assertThat(h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)))).isEqualTo(Verdict.CONTINUE);
    assertThat(h.state.table(L4Protocol.UDP).sessionCount()).isEqualTo(1);
  }

  @Test
  void tcpEstablishedLivesTwoHoursFourMinutesThenTransitory() {
    Harness h = new Harness(config());
    h.send(v6(CLIENT, SERVER6, 6, 64, tcp(40000, 80, 0x02, new byte[0])));
    h.send(v4(SERVER4, POOL4, 6, 64, 0, 0, tcp(80, 40000, 0x12, new byte[0])));
    h.out.clear();
    var tcp = h.state.table(L4Protocol.TCP);
    h.clock.millis += 124 * 60_000 - 1000;
    h.state.expire();
    assertThat(tcp.sessionSnapshot().getFirst().tcpState()).isEqualTo(TcpState.ESTABLISHED);
    h.clock.millis += 2000;
    h.state.expire();
    assertThat(tcp.sessionSnapshot().getFirst().tcpState()).isEqualTo(TcpState.TRANS);
    h.clock.millis += 4 * 60_000 + 1000;
    h.state.expire();
    assertThat(tcp.sessionCount()).isZero();
  }

  @Test
  void tcpUnansweredSynExpiresAfterTransitoryLifetime() {
    Harness h = new Harness(config());
    h.send(v6(CLIENT, SERVER6, 6, 64, tcp(40000, 80, 0x02, new byte[0])));
    h.clock.millis += 4 * 60_000 + 1;
    h.state.expire();
    assertThat(h.state.table(L4Protocol.TCP).bibCount()).isZero();
  }

  @Test
  void icmpSessionLivesSixtySeconds() {
    Harness h = new Harness(config());
    h.send(v6(CLIENT, SERVER6, 58, 64, echo(128, 1, 1, HELLO)));
    h.clock.millis += 59_000;
    h.state.expire();
    assertThat(h.state.table(L4Protocol.ICMP).sessionCount()).isEqualTo(1);
    h.clock.millis += 2_000;
    h.state.expire();
    assertThat(h.state.table(L4Protocol.ICMP).sessionCount()).isZero();
  }

  @Test
  void exhaustionIsAnsweredAdministrativelyProhibitedAndCounted() {
    Harness h = new Harness(cfg(new PortRange(2000, 2001), null, null, null));
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5001, 53, HELLO)));
    assertThat(h.out).hasSize(2);
    h.out.clear();
    assertThat(h.send(v6(CLIENT, SERVER6, 17, 64, udp(5002, 53, HELLO)))).isEqualTo(Verdict.DROP);
    byte[] p = h.only();
    assertThat(p[40]).isEqualTo((byte) 1);
    assertThat(p[41]).isEqualTo((byte) 1);
    assertThat(l4ChecksumOk(p)).isTrue();
    assertThat(h.counters.dropped(DropReason.POOL4_EXHAUSTED)).isEqualTo(1);
  }

  @Test
  void perSourceLimitKeepsOthersServed() {
    Harness h = new Harness(cfg(new PortRange(2000, 2100), 2, null, null));
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5001, 53, HELLO)));
    h.out.clear();
    assertThat(h.send(v6(CLIENT, SERVER6, 17, 64, udp(5002, 53, HELLO)))).isEqualTo(Verdict.DROP);
    assertThat(h.only()[41]).isEqualTo((byte) 1);
    assertThat(h.counters.dropped(DropReason.SOURCE_LIMIT)).isEqualTo(1);
    assertThat(h.send(v6("2001:db8:1::11", SERVER6, 17, 64, udp(5002, 53, HELLO)))).isEqualTo(Verdict.CONTINUE);
  }

  @Test
  void addressDependentFilteringOnlyLetsKnownAddressesIn() {
    Harness h = new Harness(cfg(new PortRange(1024, 65535), null, Nat64Config.Filtering.ADDRESS_DEPENDENT, null));
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.out.clear();
    assertThat(h.send(v4("203.0.113.99", POOL4, 17, 64, 0, 0, udp(53, 5000, HELLO)))).isEqualTo(Verdict.DROP);
    assertThat(h.counters.dropped(DropReason.FILTERED)).isEqualTo(1);
    assertThat(h.send(v4(SERVER4, POOL4, 17, 64, 0, 0, udp(1234, 5000, HELLO)))).isEqualTo(Verdict.CONTINUE);
  }

  @Test
  void endpointIndependentFilteringLetsAnyoneReachAnExistingBinding() {
    Harness h = new Harness(config());
    h.send(v6(CLIENT, SERVER6, 17, 64, udp(5000, 53, HELLO)));
    h.out.clear();
    assertThat(h.send(v4("203.0.113.99", POOL4, 17, 64, 0, 0, udp(53, 5000, HELLO)))).isEqualTo(Verdict.CONTINUE);
  }

  @Test
  void staticBindingAcceptsUnsolicitedTcp() {
    Harness h = new Harness(cfg(new PortRange(61000, 65535), null, null,
        List.of(StaticBibEntry.parse("tcp 2001:db8:1::10#80 198.51.100.1#8080"))));
    assertThat(h.send(v4(SERVER4, POOL4, 6, 64, 0, 0, tcp(33000, 8080, 0x02, new byte[0]))))
        .isEqualTo(Verdict.CONTINUE);
    byte[] p = h.only();
    assertThat(Bytes.u16(p, 42)).isEqualTo(80);
    assertThat(l4ChecksumOk(p)).isTrue();
    h.send(v6(CLIENT, SERVER6, 6, 64, tcp(80, 33000, 0x12, new byte[0])));
    byte[] back = h.only();
    assertThat(Bytes.u16(back, 20)).isEqualTo(8080);
    assertThat(h.state.table(L4Protocol.TCP).sessionSnapshot().getFirst().tcpState()).isEqualTo(TcpState.ESTABLISHED);
  }
}
