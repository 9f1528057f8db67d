package net.tinyisp.nat64.state;

import static net.tinyisp.nat64.state.TcpState.*;
import static net.tinyisp.nat64.state.TcpStateMachine.Event.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.tinyisp.nat64.config.PortRange;
import net.tinyisp.nat64.state.TcpStateMachine.Lifetime;
import org.junit.jupiter.api.Test;

/** RFC 6146 §3.5.2.2 transitions and §3.5.1.1 port allocation. */
class StateTest {
  static TcpStateMachine.Transition t(TcpState s, TcpStateMachine.Event e) {
    return TcpStateMachine.next(s, e);
  }

  @Test
  void tcpOpenFromV6ThenClose() {
    assertThat(t(CLOSED, V6_SYN)).isEqualTo(new TcpStateMachine.Transition(V6_INIT, Lifetime.TRANSITORY));
    assertThat(t(V6_INIT, V4_SYN)).isEqualTo(new TcpStateMachine.Transition(ESTABLISHED, Lifetime.ESTABLISHED));
    assertThat(t(ESTABLISHED, V6_OTHER).lifetime()).isEqualTo(Lifetime.ESTABLISHED);
    assertThat(t(ESTABLISHED, V6_FIN).next()).isEqualTo(V6_FIN_RCV);
    assertThat(t(V6_FIN_RCV, V4_OTHER)).isEqualTo(new TcpStateMachine.Transition(V6_FIN_RCV, Lifetime.ESTABLISHED));
    assertThat(t(V6_FIN_RCV, V4_FIN)).isEqualTo(new TcpStateMachine.Transition(V4_FIN_V6_FIN_RCV, Lifetime.TRANSITORY));
    assertThat(t(V4_FIN_V6_FIN_RCV, V6_OTHER).lifetime()).isEqualTo(Lifetime.KEEP);
  }

  @Test
  void tcpOpenFromV4AndResets() {
    assertThat(t(CLOSED, V4_SYN)).isEqualTo(new TcpStateMachine.Transition(V4_INIT, Lifetime.INCOMING_SYN));
    assertThat(t(V4_INIT, V6_SYN).next()).isEqualTo(ESTABLISHED);
    assertThat(t(V4_INIT, V4_OTHER).next()).isEqualTo(V4_INIT);
    assertThat(t(ESTABLISHED, V4_RST)).isEqualTo(new TcpStateMachine.Transition(TRANS, Lifetime.TRANSITORY));
    assertThat(t(TRANS, V6_OTHER)).isEqualTo(new TcpStateMachine.Transition(ESTABLISHED, Lifetime.ESTABLISHED));
    assertThat(t(TRANS, V6_RST).lifetime()).isEqualTo(Lifetime.KEEP);
    assertThat(t(ESTABLISHED, V4_FIN).next()).isEqualTo(V4_FIN_RCV);
    assertThat(t(V4_FIN_RCV, V6_FIN).next()).isEqualTo(V4_FIN_V6_FIN_RCV);
    assertThat(t(CLOSED, V6_OTHER).next()).isEqualTo(CLOSED);
  }

  @Test
  void everyStateAndEventHasATransition() {
    for (TcpState s : TcpState.values()) {
      for (TcpStateMachine.Event e : TcpStateMachine.Event.values()) {
        assertThat(t(s, e)).isNotNull();
      }
    }
    assertThat(TcpStateMachine.onExpiry(ESTABLISHED)).isEqualTo(TRANS);
    assertThat(TcpStateMachine.onExpiry(TRANS)).isNull();
  }

  @Test
  void eventsFromFlags() {
    assertThat(TcpStateMachine.Event.of(true, 0x02)).isEqualTo(V6_SYN);
    assertThat(TcpStateMachine.Event.of(false, 0x12)).isEqualTo(V4_SYN);
    assertThat(TcpStateMachine.Event.of(false, 0x11)).isEqualTo(V4_FIN);
    assertThat(TcpStateMachine.Event.of(true, 0x14)).isEqualTo(V6_RST);
    assertThat(TcpStateMachine.Event.of(true, 0x10)).isEqualTo(V6_OTHER);
  }

  @Test
  void portAllocationKeepsThePortThenParity() {
    PortAllocator a = new PortAllocator(List.of(0xc6336401), List.of(new PortRange(1024, 65535)));
    assertThat(a.allocate(0, 5000) & 0xffff).isEqualTo(5000);
    long second = a.allocate(0, 5000);
    assertThat(second & 0xffff).isNotEqualTo(5000);
    assertThat((second & 0xffff) % 2).isZero(); // same parity
    long odd = a.allocate(0, 5000 + 1);
    assertThat(odd & 0xffff).isEqualTo(5001);
    long odd2 = a.allocate(0, 5001);
    assertThat((odd2 & 0xffff) % 2).isEqualTo(1);
    assertThat(a.inUse()).isEqualTo(4);
  }

  @Test
  void portAllocationPrefersTheSameAddressAndExhausts() {
    PortAllocator a = new PortAllocator(List.of(1, 2), List.of(new PortRange(2000, 2001), new PortRange(3000, 3000)));
    assertThat(a.capacity()).isEqualTo(3);
    assertThat(a.allocate(0, 2000) >>> 16).isEqualTo(1);
    assertThat(a.allocate(0, 2000)).isEqualTo(2L << 16 | 3000); // parity kept before the address
    assertThat(a.allocate(0, 2000)).isEqualTo(1L << 16 | 2001); // then any free port
    assertThat(a.allocate(0, 2000)).isEqualTo(-1);
    a.release(2, 3000);
    assertThat(a.allocate(1, 9) & 0xffff).isEqualTo(3000);
  }
}
