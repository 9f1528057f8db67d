package net.tinyisp.pppoe.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 2516 §4: an Ethernet frame carrying PPPoE, with the tags of a discovery packet parsed.
 *
 * <pre>
 *  destination MAC (6) | source MAC (6) | ETHER_TYPE (2): 0x8863 discovery, 0x8864 session
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  VER  | TYPE  |      CODE     |          SESSION_ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            LENGTH             |           payload             ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * VER and TYPE are 1 (§4). LENGTH counts the payload only; Ethernet padding after it is ignored. Malformed frames
 * raise {@link MalformedFrameException} with the reason to count.
 */
public record PppoeFrame(MacAddress destination, MacAddress source, int etherType, int code, int sessionId,
    List<Tag> tags, byte[] payload) {

  public static final int ETHERTYPE_DISCOVERY = 0x8863;
  public static final int ETHERTYPE_SESSION = 0x8864;
  public static final int CODE_SESSION = 0x00;
  public static final int CODE_PADO = 0x07;
  public static final int CODE_PADI = 0x09;
  public static final int CODE_PADR = 0x19;
  public static final int CODE_PADS = 0x65;
  public static final int CODE_PADT = 0xa7;
  static final int ETHERNET_HEADER = 14;
  static final int PPPOE_HEADER = 6;

  public PppoeFrame {
    tags = List.copyOf(tags);
    payload = payload.clone();
  }

  public static PppoeFrame discovery(MacAddress dst, MacAddress src, int code, int sessionId, List<Tag> tags) {
    return new PppoeFrame(dst, src, ETHERTYPE_DISCOVERY, code, sessionId, tags, new byte[0]);
  }

  public static PppoeFrame parse(byte[] frame, int length) {
    if (length < ETHERNET_HEADER + PPPOE_HEADER) {
      throw new MalformedFrameException(MalformedFrameException.Reason.SHORT, "frame of " + length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(frame, 0, length);
    MacAddress dst = MacAddress.of(frame, 0);
    MacAddress src = MacAddress.of(frame, 6);
    int etherType = in.getShort(12) & 0xffff;
    if (etherType != ETHERTYPE_DISCOVERY && etherType != ETHERTYPE_SESSION) {
      throw new MalformedFrameException(MalformedFrameException.Reason.ETHERTYPE, String.format("ethertype 0x%04x", etherType));
    }
    int verType = frame[14] & 0xff;
    if (verType != 0x11) {
      throw new MalformedFrameException(MalformedFrameException.Reason.VERSION, String.format("VER/TYPE 0x%02x", verType));
    }
    int code = frame[15] & 0xff;
    int session = in.getShort(16) & 0xffff;
    int plen = in.getShort(18) & 0xffff;
    if (plen > length - ETHERNET_HEADER - PPPOE_HEADER) {
      throw new MalformedFrameException(MalformedFrameException.Reason.LENGTH, "LENGTH " + plen + " beyond the frame");
    }
    int start = ETHERNET_HEADER + PPPOE_HEADER;
    if (etherType == ETHERTYPE_SESSION) {
      return new PppoeFrame(dst, src, etherType, code, session, List.of(), java.util.Arrays.copyOfRange(frame, start, start + plen));
    }
    return new PppoeFrame(dst, src, etherType, code, session, parseTags(frame, start, plen), new byte[0]);
  }

  static List<Tag> parseTags(byte[] b, int off, int len) {
    List<Tag> tags = new ArrayList<>();
    int p = off, end = off + len;
    while (p < end) {
      if (end - p < 4) {
        throw new MalformedFrameException(MalformedFrameException.Reason.TAG, "tag header cut short");
      }
      int type = (b[p] & 0xff) << 8 | b[p + 1] & 0xff;
      int tlen = (b[p + 2] & 0xff) << 8 | b[p + 3] & 0xff;
      if (tlen > end - p - 4) {
        throw new MalformedFrameException(MalformedFrameException.Reason.TAG, String.format("tag 0x%04x length %d beyond the payload", type, tlen));
      }
      if (type == Tag.END_OF_LIST) break; // Appendix A: no further tags are processed
      tags.add(new Tag(type, java.util.Arrays.copyOfRange(b, p + 4, p + 4 + tlen)));
      p += 4 + tlen;
    }
    if (tags.size() > 64) {
      throw new MalformedFrameException(MalformedFrameException.Reason.TAG, "more than 64 tags");
    }
    return tags;
  }

  /** The first tag of a type, or null. */
  public Tag tag(int type) {
    for (Tag t : tags) if (t.type() == type) return t;
    return null;
  }

  public long count(int type) {
    return tags.stream().filter(t -> t.type() == type).count();
  }

  public byte[] toBytes() {
    int plen = etherType == ETHERTYPE_SESSION ? payload.length : tags.stream().mapToInt(t -> 4 + t.length()).sum();
    if (plen > 1500 - PPPOE_HEADER) throw new IllegalArgumentException("PPPoE payload of " + plen + " bytes exceeds the Ethernet MTU");
    ByteBuffer b = ByteBuffer.allocate(Math.max(60, ETHERNET_HEADER + PPPOE_HEADER + plen)); // pad to the Ethernet minimum
    b.put(destination.bytes()).put(source.bytes()).putShort((short) etherType)
        .put((byte) 0x11).put((byte) code).putShort((short) sessionId).putShort((short) plen);
    if (etherType == ETHERTYPE_SESSION) {
      b.put(payload);
    } else {
      for (Tag t : tags) b.putShort((short) t.type()).putShort((short) t.length()).put(t.value());
    }
    return b.array();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
