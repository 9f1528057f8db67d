package net.tinyisp.dns.doh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import net.tinyisp.common.net.AddressText;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The JSON API on {@code /resolve} in the shape Google Public DNS and Cloudflare publish (there is no RFC):
 * parameters {@code name}, {@code type} (mnemonic or number, default A), {@code cd}, {@code do}, {@code ct};
 * answer {@code {Status, TC, RD, RA, AD, CD, Question, Answer, Authority, Additional}} with numeric types and
 * presentation-format {@code data}.
 */
public final class JsonResolve {
  public static final String DNS_JSON = "application/dns-json";
  public static final String JSON = "application/json";
  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  private JsonResolve() {}

  /** A parsed /resolve request: the query to send and the media type the answer goes out in. */
  public record Request(Message query, String responseType) {}

  /** @throws IllegalArgumentException with a message for the 400 body */
  public static Request parse(Map<String, String> params) {
    String nameText = params.get("name");
    if (nameText == null || nameText.isEmpty()) {
      throw new IllegalArgumentException("missing name parameter");
    }
    if (nameText.length() > 1004) { // 253 presentation characters, each possibly \DDD-escaped
      throw new IllegalArgumentException("name too long");
    }
    Name name;
    try {
      name = Name.fromString(nameText, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("name is not a domain name: " + e.getMessage());
    }
    int type = type(params.getOrDefault("type", "A"));
    boolean cd = flag(params, "cd");
    boolean dnssecOk = flag(params, "do");
    String ct = params.getOrDefault("ct", "");
    String responseType = switch (DohRequest.mediaType(ct)) {
      case "" , JSON, "application/x-javascript" -> JSON;
      case DNS_JSON -> DNS_JSON;
      case DohRequest.DNS_MESSAGE -> DohRequest.DNS_MESSAGE;
      default -> throw new IllegalArgumentException("ct must be " + DNS_JSON + ", " + JSON + " or "
          + DohRequest.DNS_MESSAGE);
    };
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    query.getHeader().setID(0);
    if (cd) {
      query.getHeader().setFlag(Flags.CD);
    }
    if (dnssecOk) {
      query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    }
    return new Request(query, responseType);
  }

  private static int type(String text) {
    if (text.matches("[0-9]{1,5}")) {
      int v = Integer.parseInt(text);
      if (v > 65535) throw new IllegalArgumentException("type must be 0..65535");
      return v;
    }
    int v = Type.value(text.length() > 16 ? "" : text);
    if (v < 0) {
      throw new IllegalArgumentException("unknown type " + text);
    }
    return v;
  }

  private static boolean flag(Map<String, String> params, String key) {
    String v = params.get(key);
    if (v == null || v.isEmpty() || v.equals("0") || v.equalsIgnoreCase("false")) return false;
    if (v.equals("1") || v.equalsIgnoreCase("true")) return true;
    throw new IllegalArgumentException(key + " must be 0, 1, true or false");
  }

  /** The answer as JSON (UTF-8). */
  public static byte[] render(Message response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("Status", response.getRcode());
      g.writeBooleanField("TC", response.getHeader().getFlag(Flags.TC));
      g.writeBooleanField("RD", response.getHeader().getFlag(Flags.RD));
      g.writeBooleanField("RA", response.getHeader().getFlag(Flags.RA));
      g.writeBooleanField("AD", response.getHeader().getFlag(Flags.AD));
      g.writeBooleanField("CD", response.getHeader().getFlag(Flags.CD));
      g.writeArrayFieldStart("Question");
      for (Record q : response.getSection(Section.QUESTION)) {
        g.writeStartObject();
        g.writeStringField("name", q.getName().toString());
        g.writeNumberField("type", q.getType());
        g.writeEndObject();
      }
      g.writeEndArray();
      section(g, "Answer", response.getSection(Section.ANSWER));
      section(g, "Authority", response.getSection(Section.AUTHORITY));
      section(g, "Additional", response.getSection(Section.ADDITIONAL).stream()
          .filter(r -> r.getType() != Type.OPT).toList());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /** Presentation format; AAAA in RFC 5952 text (dnsjava prints every zero group). */
  static String data(Record r) {
    if (r instanceof AAAARecord aaaa) {
      return AddressText.format(aaaa.getAddress().getAddress());
    }
    return r.rdataToString();
  }

  /** Sections without records are left out, as Google's API does. */
  private static void section(JsonGenerator g, String field, List<Record> records) throws IOException {
    if (records.isEmpty()) return;
    g.writeArrayFieldStart(field);
    for (Record r : records) {
      g.writeStartObject();
      g.writeStringField("name", r.getName().toString());
      g.writeNumberField("type", r.getType());
      g.writeNumberField("TTL", r.getTTL());
      g.writeStringField("data", data(r));
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
