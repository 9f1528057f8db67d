package net.tinyisp.radius.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A RADIUS packet (RFC 2865 §3).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Authenticator (16 octets)             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Attributes ...
 * </pre>
 *
 * @param code the raw code; {@link Code#of} names it
 */
public record RadiusPacket(int code, int identifier, byte[] authenticator, List<RawAttribute> attributes) {

  public static final int HEADER_LENGTH = 20;
  /** RFC 2865 §3: the maximum length is 4096. */
  public static final int MAX_LENGTH = 4096;

  public RadiusPacket {
    if (code < 0 || code > 255) throw new IllegalArgumentException("code " + code + " is outside 0..255");
    if (identifier < 0 || identifier > 255) {
      throw new IllegalArgumentException("identifier " + identifier + " is outside 0..255");
    }
    if (authenticator.length != 16) throw new IllegalArgumentException("the authenticator is 16 octets");
    authenticator = authenticator.clone();
    attributes = List.copyOf(attributes);
  }

  public RadiusPacket(Code code, int identifier, byte[] authenticator, List<RawAttribute> attributes) {
    this(code.value(), identifier, authenticator, attributes);
  }

  @Override
  public byte[] authenticator() {
    return authenticator.clone();
  }

  /**
   * Parses one datagram. RFC 2865 §3: octets past Length are padding and ignored; a datagram shorter than Length,
   * a Length outside 20..4096, or an attribute whose length runs past the end or is below 2 makes the packet
   * malformed (silently discarded by the caller).
   */
  public static RadiusPacket parse(byte[] buf, int offset, int available) throws MalformedPacketException {
    if (available < HEADER_LENGTH) {
      throw new MalformedPacketException("datagram of " + available + " octets is shorter than the 20-octet header");
    }
    int length = (buf[offset + 2] & 0xff) << 8 | (buf[offset + 3] & 0xff);
    if (length < HEADER_LENGTH || length > MAX_LENGTH) {
      throw new MalformedPacketException("Length " + length + " is outside 20..4096");
    }
    if (length > available) {
      throw new MalformedPacketException("Length " + length + " exceeds the " + available + " octets received");
    }
    int code = buf[offset] & 0xff;
    int id = buf[offset + 1] & 0xff;
    byte[] auth = Arrays.copyOfRange(buf, offset + 4, offset + 20);
    List<RawAttribute> attrs = new ArrayList<>();
    int p = offset + HEADER_LENGTH;
    int end = offset + length;
    while (p < end) {
      if (end - p < 2) throw new MalformedPacketException("a truncated attribute header at octet " + (p - offset));
      int type = buf[p] & 0xff;
      int alen = buf[p + 1] & 0xff;
      if (alen < 2) throw new MalformedPacketException("attribute " + type + " has Length " + alen + " < 2");
      if (p + alen > end) {
        throw new MalformedPacketException("attribute " + type + " runs past the end of the packet");
      }
      if (type == 0) throw new MalformedPacketException("attribute type 0 is reserved");
      attrs.add(new RawAttribute(type, Arrays.copyOfRange(buf, p + 2, p + alen)));
      p += alen;
    }
    return new RadiusPacket(code, id, auth, attrs);
  }

  public static RadiusPacket parse(byte[] datagram) throws MalformedPacketException {
    return parse(datagram, 0, datagram.length);
  }

  public int wireLength() {
    int n = HEADER_LENGTH;
    for (RawAttribute a : attributes) n += a.wireLength();
    return n;
  }

  /** The packet as sent, with the authenticator field as held (signing replaces it; see {@link Authenticators}). */
  public byte[] toWire() {
    int len = wireLength();
    if (len > MAX_LENGTH) {
      throw new IllegalStateException("packet of " + len + " octets exceeds the 4096 maximum (RFC 2865 §3)");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(len);
    out.write(code);
    out.write(identifier);
    out.write(len >> 8);
    out.write(len);
    out.writeBytes(authenticator);
    for (RawAttribute a : attributes) {
      out.write(a.type());
      out.write(a.wireLength());
      out.writeBytes(a.valueUnsafe());
    }
    return out.toByteArray();
  }

  public Code knownCode() {
    return Code.of(code);
  }

  /** The first attribute of a type, or null. */
  public RawAttribute first(int type) {
    for (RawAttribute a : attributes) if (a.type() == type) return a;
    return null;
  }

  public List<RawAttribute> all(int type) {
    List<RawAttribute> out = new ArrayList<>();
    for (RawAttribute a : attributes) if (a.type() == type) out.add(a);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RadiusPacket p && p.code == code && p.identifier == identifier
        && Arrays.equals(p.authenticator, authenticator) && p.attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return (code * 31 + identifier) * 31 + Arrays.hashCode(authenticator) * 31 + attributes.hashCode();
  }

  @Override
  public String toString() {
    Code c = knownCode();
    return (c == null ? "Code-" + code : c.text()) + " id=" + identifier + " " + attributes;
  }
}
