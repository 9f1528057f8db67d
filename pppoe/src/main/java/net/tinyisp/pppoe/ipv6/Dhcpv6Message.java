package net.tinyisp.pppoe.ipv6;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 8415 §8 client/server message: msg-type(1) transaction-id(3) options; each option code(2) len(2) data.
 * Bounded parsing: an option longer than what is left makes the message malformed.
 */
public record Dhcpv6Message(int type, int transactionId, List<Option> options) {
  public static final int SOLICIT = 1, ADVERTISE = 2, REQUEST = 3, CONFIRM = 4, RENEW = 5, REBIND = 6, REPLY = 7,
      RELEASE = 8, DECLINE = 9, INFORMATION_REQUEST = 11;
  public static final int OPT_CLIENTID = 1, OPT_SERVERID = 2, OPT_ORO = 6, OPT_ELAPSED_TIME = 8,
      OPT_STATUS_CODE = 13, OPT_RAPID_COMMIT = 14, OPT_DNS_SERVERS = 23, OPT_IA_PD = 25, OPT_IAPREFIX = 26;
  public static final int STATUS_SUCCESS = 0, STATUS_NO_BINDING = 3, STATUS_NO_PREFIX_AVAIL = 6;

  public Dhcpv6Message {
    options = List.copyOf(options);
  }

  public record Option(int code, byte[] data) {
    public Option {
      if (data.length > 0xffff) throw new IllegalArgumentException("option too long");
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Option x && x.code == code && Arrays.equals(x.data, data);
    }

    @Override
    public int hashCode() {
      return code * 31 + Arrays.hashCode(data);
    }
  }

  public static Dhcpv6Message parse(byte[] b) {
    if (b.length < 4) throw new IllegalArgumentException("DHCPv6 message shorter than 4 octets");
    int type = b[0] & 0xff;
    int xid = (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
    return new Dhcpv6Message(type, xid, parseOptions(b, 4, b.length));
  }

  static List<Option> parseOptions(byte[] b, int from, int to) {
    List<Option> out = new ArrayList<>();
    int p = from;
    while (p < to) {
      if (to - p < 4) throw new IllegalArgumentException("option header cut short");
      int code = (b[p] & 0xff) << 8 | b[p + 1] & 0xff;
      int len = (b[p + 2] & 0xff) << 8 | b[p + 3] & 0xff;
      if (len > to - p - 4) throw new IllegalArgumentException("option " + code + " length " + len + " beyond the message");
      out.add(new Option(code, Arrays.copyOfRange(b, p + 4, p + 4 + len)));
      p += 4 + len;
      if (out.size() > 256) throw new IllegalArgumentException("more than 256 options");
    }
    return out;
  }

  public Option option(int code) {
    for (Option o : options) if (o.code() == code) return o;
    return null;
  }

  public List<Option> all(int code) {
    return options.stream().filter(o -> o.code() == code).toList();
  }

  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.write(type);
    out.write(transactionId >> 16);
    out.write(transactionId >> 8);
    out.write(transactionId);
    writeOptions(out, options);
    return out.toByteArray();
  }

  static void writeOptions(ByteArrayOutputStream out, List<Option> options) {
    for (Option o : options) {
      out.write(o.code() >> 8);
      out.write(o.code());
      out.write(o.data.length >> 8);
      out.write(o.data.length);
      out.writeBytes(o.data);
    }
  }

  static byte[] options(List<Option> options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeOptions(out, options);
    return out.toByteArray();
  }
}
