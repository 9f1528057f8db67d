package net.tinyisp.dns.encrypted;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.tinyisp.dns.server.QueryContext;
import net.tinyisp.dns.server.QueryHandler;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A small real handler for the transport tests: answers {@code ipv4only.lab.test} the way a DNS64 resolver does
 * (A 198.51.100.10, AAAA 64:ff9b::c633:640a synthesized, TTL 300), {@code slow.lab.test} after 400 ms (for the
 * out-of-order test), NXDOMAIN otherwise; FORMERR for garbage with an ID; null for less than a header. It records
 * the last client so the trusted-proxy tests can see whom the front end reported.
 */
public final class FixedZoneHandler implements QueryHandler {
  public static final String NAME = "ipv4only.lab.test.";
  public static final String SYNTHESIZED = "64:ff9b::c633:640a";
  public static final long TTL = 300;

  public final AtomicReference<QueryContext> lastContext = new AtomicReference<>();
  private final Executor later = CompletableFuture.delayedExecutor(400, TimeUnit.MILLISECONDS);

  @Override
  public CompletionStage<byte[]> handle(byte[] query, QueryContext context) {
    lastContext.set(context);
    Message q;
    try {
      q = new Message(query);
    } catch (IOException e) {
      if (query.length < 12) return CompletableFuture.completedFuture(null);
      Message formerr = new Message((query[0] & 0xff) << 8 | (query[1] & 0xff));
      formerr.getHeader().setFlag(Flags.QR);
      formerr.getHeader().setRcode(Rcode.FORMERR);
      return CompletableFuture.completedFuture(formerr.toWire());
    }
    Message r = answer(q);
    if (q.getQuestion() != null && q.getQuestion().getName().toString().equals("slow.lab.test.")) {
      return CompletableFuture.supplyAsync(r::toWire, later);
    }
    return CompletableFuture.completedFuture(r.toWire());
  }

  static Message answer(Message q) {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.RA);
    if (q.getHeader().getFlag(Flags.RD)) r.getHeader().setFlag(Flags.RD);
    if (q.getHeader().getFlag(Flags.CD)) r.getHeader().setFlag(Flags.CD);
    Record question = q.getQuestion();
    if (question != null) {
      r.addRecord(question, Section.QUESTION);
      Name name = question.getName();
      try {
        if (name.toString().equalsIgnoreCase(NAME) || name.toString().equals("slow.lab.test.")) {
          if (question.getType() == Type.AAAA) {
            r.addRecord(new AAAARecord(name, DClass.IN, TTL, InetAddress.getByName(SYNTHESIZED)), Section.ANSWER);
          } else if (question.getType() == Type.A) {
            r.addRecord(new ARecord(name, DClass.IN, TTL, InetAddress.getByName("198.51.100.10")), Section.ANSWER);
          }
        } else {
          r.getHeader().setRcode(Rcode.NXDOMAIN);
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    if (q.getOPT() != null) {
      r.addRecord(new OPTRecord(1232, 0, 0, q.getOPT().getFlags()), Section.ADDITIONAL);
    }
    return r;
  }
}
