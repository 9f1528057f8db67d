package net.tinyisp.ppp.fsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of RFC 1661's §4.1 table, read from the RFC's own text (test resource), against {@link Automaton}:
 * 16 events x 10 states = 160 cases. Cells with the "r" and "p" options are checked with the options off here,
 * and with them on in {@link #restartAndPassiveOptions()}.
 */
class AutomatonTableTest {
  private static final Map<String, Event> EVENTS = Map.ofEntries(
      Map.entry("Up", Event.UP), Map.entry("Down", Event.DOWN), Map.entry("Open", Event.OPEN),
      Map.entry("Close", Event.CLOSE), Map.entry("TO+", Event.TO_PLUS), Map.entry("TO-", Event.TO_MINUS),
      Map.entry("RCR+", Event.RCR_PLUS), Map.entry("RCR-", Event.RCR_MINUS), Map.entry("RCA", Event.RCA),
      Map.entry("RCN", Event.RCN), Map.entry("RTR", Event.RTR), Map.entry("RTA", Event.RTA),
      Map.entry("RUC", Event.RUC), Map.entry("RXJ+", Event.RXJ_PLUS), Map.entry("RXJ-", Event.RXJ_MINUS),
      Map.entry("RXR", Event.RXR));

  record Cell(State state, Event event, String text) {}

  static List<Cell> cells() throws IOException {
    String table;
    try (InputStream in = AutomatonTableTest.class.getResourceAsStream("/rfc1661-state-table.txt")) {
      table = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    List<Cell> cells = new ArrayList<>();
    int firstState = -1;
    for (String line : table.lines().toList()) {
      if (line.matches("\\s*\\|\\s+[0-9 ]+")) {
        firstState = Integer.parseInt(line.replace("|", "").strip().split("\\s+")[0]);
        continue;
      }
      int bar = line.indexOf('|');
      if (bar < 0 || firstState < 0) continue;
      Event e = EVENTS.get(line.substring(0, bar).strip());
      if (e == null) continue;
      String[] texts = line.substring(bar + 1).strip().split("\\s+");
      for (int i = 0; i < texts.length; i++) {
        cells.add(new Cell(State.values()[firstState + i], e, texts[i]));
      }
    }
    return cells;
  }

  static Stream<Arguments> everyCell() throws IOException {
    return cells().stream().map(c -> Arguments.of(c.state(), c.event(), c.text()));
  }

  @Test
  void theTableHasEveryCell() throws IOException {
    assertThat(cells()).hasSize(State.values().length * Event.values().length);
  }

  @ParameterizedTest(name = "{1} in {0}: {2}")
  @MethodSource("everyCell")
  void cellMatchesTheRfc(State state, Event event, String text) {
    Transition t = Automaton.next(state, event, Options.DEFAULT);
    if (text.equals("-")) {
      assertThat(t.illegal()).isTrue();
      assertThat(t.next()).isEqualTo(state);
      assertThat(t.actions()).isEmpty();
      return;
    }
    String cell = text.replaceAll("[rpx]$", "");
    int slash = cell.indexOf('/');
    List<Action> actions = slash < 0 ? List.of()
        : Arrays.stream(cell.substring(0, slash).split(",")).map(a -> Action.valueOf(a.toUpperCase())).toList();
    State next = State.values()[Integer.parseInt(slash < 0 ? cell : cell.substring(slash + 1))];
    assertThat(t.illegal()).isFalse();
    assertThat(t.actions()).containsExactlyElementsOf(actions);
    assertThat(t.next()).isEqualTo(next);
  }

  @Test
  void restartAndPassiveOptions() {
    Options restart = new Options(true, false);
    // [r]: Open restarts the link: a Down then an Up (RFC 1661 §4.3 Open event)
    assertThat(Automaton.next(State.OPENED, Event.OPEN, restart))
        .isEqualTo(Transition.to(State.REQ_SENT, Action.TLD, Action.IRC, Action.SCR));
    assertThat(Automaton.next(State.STOPPED, Event.OPEN, restart))
        .isEqualTo(Transition.to(State.REQ_SENT, Action.TLS, Action.IRC, Action.SCR));
    assertThat(Automaton.next(State.CLOSING, Event.OPEN, restart))
        .isEqualTo(Transition.to(State.REQ_SENT, Action.IRC, Action.SCR));
    // [p]: passive: after the last timeout keep waiting in Stopped without This-Layer-Finished
    Options passive = new Options(false, true);
    for (State s : List.of(State.REQ_SENT, State.ACK_RCVD, State.ACK_SENT)) {
      assertThat(Automaton.next(s, Event.TO_MINUS, passive)).isEqualTo(Transition.to(State.STOPPED));
    }
  }
}
