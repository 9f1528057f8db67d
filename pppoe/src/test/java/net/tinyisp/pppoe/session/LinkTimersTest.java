package net.tinyisp.pppoe.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The heap of link deadlines: rescheduled and cancelled sessions leave stale entries that are never returned. */
class LinkTimersTest {
  @Test
  void dueSessionsComeOutOnceInDeadlineOrder() {
    LinkTimers t = new LinkTimers();
    t.schedule(1, 300);
    t.schedule(2, 100);
    t.schedule(3, 200);
    assertThat(t.next()).isEqualTo(100);
    assertThat(t.takeDue(250)).containsExactly(2, 3);
    assertThat(t.takeDue(250)).isEmpty();
    assertThat(t.next()).isEqualTo(300);
  }

  @Test
  void rescheduledAndCancelledSessionsLeaveOnlyTheirCurrentDeadline() {
    LinkTimers t = new LinkTimers();
    t.schedule(1, 100);
    t.schedule(1, 500); // the link's restart timer moved on
    t.schedule(2, 150);
    t.cancel(2); // the session ended
    t.schedule(3, 200);
    t.schedule(3, -1); // nothing scheduled any more
    assertThat(t.next()).isEqualTo(500);
    assertThat(t.takeDue(400)).isEmpty();
    assertThat(t.takeDue(500)).containsExactly(1);
    assertThat(t.next()).isEqualTo(-1);
    assertThat(t.size()).isZero();
  }

  @Test
  void theSameDeadlineTwiceIsOneEntry() {
    LinkTimers t = new LinkTimers();
    t.schedule(7, 100);
    t.schedule(7, 100);
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.takeDue(100)).containsExactly(7);
  }
}
