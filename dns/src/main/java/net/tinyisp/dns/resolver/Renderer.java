package net.tinyisp.dns.resolver;

import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns an answer's content into the wire answer for a client: our header (QR, RA, the client's RD and CD), the
 * client's question, the sections, and an OPT record only if the client sent one (RFC 6891 §7) with our UDP size
 * and its DO bit. AD is kept only for a client that set DO (RFC 4035 §3.2.3); synthesized content never has it.
 */
final class Renderer {
  private Renderer() {}

  static byte[] render(Message content, Record question, int queryFlags, boolean clientEdns, boolean dnssecOk,
      int ourUdpSize) {
    Message m = new Message(0);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RA);
    if ((queryFlags & 0x0100) != 0) m.getHeader().setFlag(Flags.RD);
    if ((queryFlags & 0x0010) != 0) m.getHeader().setFlag(Flags.CD);
    if (dnssecOk && content.getHeader().getFlag(Flags.AD)) m.getHeader().setFlag(Flags.AD);
    m.getHeader().setRcode(content.getRcode() & 0xf);
    m.addRecord(question, Section.QUESTION);
    for (Record r : content.getSection(Section.ANSWER)) m.addRecord(r, Section.ANSWER);
    for (Record r : content.getSection(Section.AUTHORITY)) m.addRecord(r, Section.AUTHORITY);
    for (Record r : content.getSection(Section.ADDITIONAL)) {
      if (r.getType() != Type.OPT) m.addRecord(r, Section.ADDITIONAL);
    }
    if (clientEdns) {
      m.addRecord(new OPTRecord(ourUdpSize, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return m.toWire(65535);
  }
}
