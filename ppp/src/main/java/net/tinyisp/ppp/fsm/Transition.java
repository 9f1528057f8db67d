package net.tinyisp.ppp.fsm;

import java.util.List;

/**
 * One cell of the RFC 1661 §4.1 table: the actions to perform, in order, and the next state. {@code illegal} marks
 * the table's "-" cells (events that cannot happen in that state): the state is kept and no action is taken, and
 * the caller counts it.
 */
public record Transition(List<Action> actions, State next, boolean illegal) {
  public Transition {
    actions = List.copyOf(actions);
  }

  static Transition to(State next, Action... actions) {
    return new Transition(List.of(actions), next, false);
  }

  static Transition illegal(State stay) {
    return new Transition(List.of(), stay, true);
  }
}
