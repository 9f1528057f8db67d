package net.tinyisp.dns.proxy;

import net.tinyisp.dns.DropReason;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/** Whether an upstream answer belongs to the query we sent (RFC 5452 §4.1: ID and question must match). */
final class AnswerCheck {
  private AnswerCheck() {}

  /** null when the answer matches, else why it is dropped. */
  static DropReason verify(Message query, Message answer) {
    if (answer.getHeader().getID() != query.getHeader().getID()) {
      return DropReason.UPSTREAM_WRONG_ID;
    }
    if (!answer.getHeader().getFlag(Flags.QR)) {
      return DropReason.UPSTREAM_MALFORMED;
    }
    Record q = query.getQuestion();
    Record a = answer.getQuestion();
    if (q != null && (a == null || !q.getName().equals(a.getName()) || q.getType() != a.getType()
        || q.getDClass() != a.getDClass())) {
      return DropReason.UPSTREAM_WRONG_QUESTION;
    }
    return null;
  }
}
