package net.tinyisp.ppp.auth;

import java.nio.charset.StandardCharsets;
import net.tinyisp.ppp.wire.ControlPacket;
import net.tinyisp.ppp.wire.MalformedPacketException;

/**
 * RFC 1334 §2.2 PAP packets. Authenticate-Request (code 1) carries Peer-ID and Password, each behind a one-octet
 * length; Authenticate-Ack (2) and -Nak (3) carry a message behind a one-octet length.
 */
public final class PapPacket {
  public static final int AUTHENTICATE_REQUEST = 1;
  public static final int AUTHENTICATE_ACK = 2;
  public static final int AUTHENTICATE_NAK = 3;

  private PapPacket() {}

  /** Peer-ID and Password as sent; the password is bytes because RFC 1334 does not give it a character set. */
  public record Request(int identifier, String peerId, byte[] password) {}

  public static Request parseRequest(ControlPacket p) {
    if (p.code() != AUTHENTICATE_REQUEST) {
      throw new MalformedPacketException("not an Authenticate-Request: code " + p.code());
    }
    byte[] d = p.data();
    if (d.length < 1) throw new MalformedPacketException("PAP request without Peer-ID Length");
    int idLen = d[0] & 0xff;
    if (1 + idLen + 1 > d.length) throw new MalformedPacketException("PAP Peer-ID Length " + idLen + " beyond the packet");
    int pwLen = d[1 + idLen] & 0xff;
    if (2 + idLen + pwLen > d.length) throw new MalformedPacketException("PAP Passwd-Length " + pwLen + " beyond the packet");
    String peer = new String(d, 1, idLen, StandardCharsets.UTF_8);
    byte[] pw = java.util.Arrays.copyOfRange(d, 2 + idLen, 2 + idLen + pwLen);
    return new Request(p.identifier(), peer, pw);
  }

  public static ControlPacket request(int identifier, String peerId, byte[] password) {
    byte[] id = peerId.getBytes(StandardCharsets.UTF_8);
    if (id.length > 255 || password.length > 255) throw new IllegalArgumentException("PAP Peer-ID and Password are at most 255 octets");
    byte[] d = new byte[2 + id.length + password.length];
    d[0] = (byte) id.length;
    System.arraycopy(id, 0, d, 1, id.length);
    d[1 + id.length] = (byte) password.length;
    System.arraycopy(password, 0, d, 2 + id.length, password.length);
    return new ControlPacket(AUTHENTICATE_REQUEST, identifier, d);
  }

  public static ControlPacket reply(boolean ack, int identifier, String message) {
    byte[] m = message.getBytes(StandardCharsets.UTF_8);
    byte[] d = new byte[1 + Math.min(255, m.length)];
    d[0] = (byte) (d.length - 1);
    System.arraycopy(m, 0, d, 1, d.length - 1);
    return new ControlPacket(ack ? AUTHENTICATE_ACK : AUTHENTICATE_NAK, identifier, d);
  }

  public static String message(ControlPacket p) {
    byte[] d = p.data();
    if (d.length < 1) return "";
    int n = Math.min(d[0] & 0xff, d.length - 1);
    return new String(d, 1, n, StandardCharsets.UTF_8);
  }
}
