package net.tinyisp.subscribers.caps;

import java.util.List;
import net.tinyisp.radius.server.ReplyItem;

/**
 * Sends RFC 5176 Dynamic Authorization requests to a NAS and waits for its answer. The implementation on the
 * radius module's CoA sender adds Message-Authenticator and the NAS's secret; tests may use any listener.
 */
public interface NasCommands {

  /** CoA-Request (RFC 5176 §2.1) for one session, with the session identification and new attributes. */
  Answer coa(NasSession session, List<ReplyItem> attributes);

  /** Disconnect-Request (RFC 5176 §2.1) for one session. */
  Answer disconnect(NasSession session);

  /** A session as accounting knows it: where to send, and how RFC 5176 §3 identifies it. */
  record NasSession(String nas, String username, String sessionId) {}

  enum Result { ACK, NAK, TIMEOUT, ERROR }

  /** The NAS's answer: ACK or NAK (with Error-Cause, RFC 5176 §3.5, in the detail), or why none came. */
  record Answer(Result result, String detail) {}
}
