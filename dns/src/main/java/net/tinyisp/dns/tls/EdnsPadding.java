package net.tinyisp.dns.tls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/**
 * EDNS(0) Padding of responses on encrypted transports (RFC 7830), with the Block-Length Padding policy of
 * RFC 8467 §4.1: a response to a query that carried a Padding option is padded to a multiple of 468 octets.
 * Responses to unpadded queries are left alone (RFC 8467 §4.1: "if a query is not padded, the response should
 * not be padded" is the recommended behaviour for servers).
 */
public final class EdnsPadding {
  public static final int RESPONSE_BLOCK = 468;
  private static final int HEADER = 12;

  private EdnsPadding() {}

  /** True when the query has an OPT record with a Padding option (code 12). Bounded: never throws. */
  public static boolean queryIsPadded(byte[] query) {
    if (query.length < HEADER || ((query[10] & 0xff) << 8 | (query[11] & 0xff)) == 0) {
      return false; // ARCOUNT 0: no OPT, the common case, decided without parsing
    }
    try {
      OPTRecord opt = new Message(query).getOPT();
      return opt != null && !opt.getOptions(EDNSOption.Code.PADDING).isEmpty();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The response padded to a multiple of {@link #RESPONSE_BLOCK}; unchanged when it has no OPT record. */
  public static byte[] pad(byte[] response) {
    try {
      Message m = new Message(response);
      OPTRecord opt = m.getOPT();
      if (opt == null) {
        return response;
      }
      List<EDNSOption> options = new ArrayList<>();
      for (EDNSOption o : opt.getOptions()) {
        if (o.getCode() != EDNSOption.Code.PADDING) options.add(o);
      }
      m.removeRecord(opt, Section.ADDITIONAL);
      OPTRecord bare = new OPTRecord(opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(), opt.getFlags(),
          options);
      m.addRecord(bare, Section.ADDITIONAL);
      int length = m.toWire().length + 4; // option code + option length
      int padding = (RESPONSE_BLOCK - length % RESPONSE_BLOCK) % RESPONSE_BLOCK;
      if (length + padding > 65535) {
        return response;
      }
      options.add(new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[padding]));
      m.removeRecord(bare, Section.ADDITIONAL);
      m.addRecord(new OPTRecord(opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(), opt.getFlags(),
          options), Section.ADDITIONAL);
      return m.toWire();
    } catch (IOException | RuntimeException e) {
      return response; // the handler's own answer did not parse: send it as it is rather than nothing
    }
  }
}
