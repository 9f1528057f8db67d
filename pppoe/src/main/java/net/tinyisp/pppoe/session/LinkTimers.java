package net.tinyisp.pppoe.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * When each session's link wants its next tick, in a heap: finding the next deadline and the due sessions costs
 * O(log n) instead of a scan of every session on every turn of the control loop (which at 10,000 sessions was
 * most of the loop's work). An entry whose session has since been rescheduled or removed is stale and skipped.
 */
final class LinkTimers {
  private record Entry(long at, int sessionId) {}

  private final PriorityQueue<Entry> heap = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private final Map<Integer, Long> due = new HashMap<>();

  /** The session's link wants a tick at {@code at} (or never, when negative). */
  void schedule(int sessionId, long at) {
    if (at < 0) {
      due.remove(sessionId);
      return;
    }
    Long current = due.put(sessionId, at);
    if (current == null || current != at) heap.add(new Entry(at, sessionId));
  }

  void cancel(int sessionId) {
    due.remove(sessionId);
  }

  /** The earliest deadline, -1 when none. */
  long next() {
    dropStale();
    Entry e = heap.peek();
    return e == null ? -1 : e.at;
  }

  /** Removes and returns the sessions due at {@code now}; each once, even if a tick reschedules it to the past. */
  List<Integer> takeDue(long now) {
    List<Integer> ids = new ArrayList<>();
    while (true) {
      dropStale();
      Entry e = heap.peek();
      if (e == null || e.at > now) return ids;
      heap.poll();
      due.remove(e.sessionId);
      ids.add(e.sessionId);
    }
  }

  int size() {
    return heap.size();
  }

  private void dropStale() {
    for (Entry e; (e = heap.peek()) != null; ) {
      Long at = due.get(e.sessionId);
      if (at != null && at == e.at) return;
      heap.poll();
    }
  }
}
