package net.tinyisp.subscribers.caps;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.tinyisp.radius.server.ReplyItem;

/** A NAS seam that records requests and answers ACK; for decision tests (the wire is tested in CapCoaIT). */
final class RecordingNas implements NasCommands {
  record Sent(String kind, NasSession session, List<ReplyItem> attributes) {}

  final List<Sent> sent = new CopyOnWriteArrayList<>();
  volatile Answer answer = new Answer(Result.ACK, null);

  @Override
  public Answer coa(NasSession session, List<ReplyItem> attributes) {
    sent.add(new Sent("coa", session, attributes));
    return answer;
  }

  @Override
  public Answer disconnect(NasSession session) {
    sent.add(new Sent("disconnect", session, List.of()));
    return answer;
  }
}
