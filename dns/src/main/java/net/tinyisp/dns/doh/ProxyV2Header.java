package net.tinyisp.dns.doh;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The binary PROXY protocol header, version 2 (HAProxy's proxy-protocol.txt §2.2), that nginx
 * ({@code proxy_protocol on;} in a stream block) and HAProxy put before the proxied bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  +---------------------------------------------------------------+
 *  |   signature \r\n\r\n\0\r\nQUIT\n (12 bytes)                     |
 *  +---------------+---------------+-------------------------------+
 *  | ver 2 | cmd   | family| proto |         length (16)           |
 *  +---------------+---------------+-------------------------------+
 *  | IPv4: src(4) dst(4) sport(2) dport(2) | IPv6: 16 16 2 2 | TLVs  |
 * </pre>
 */
public final class ProxyV2Header {
  public static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
  public static final int FIXED = 16;
  /** Our bound on address block + TLVs; real proxies send well under this. */
  public static final int MAX_LENGTH = 2048;

  private ProxyV2Header() {}

  public sealed interface Result permits NeedMore, NotProxy, Invalid, Parsed {}

  /** More bytes are needed to decide. */
  public record NeedMore() implements Result {}

  /** The bytes do not start with the v2 signature: plain traffic. */
  public record NotProxy() implements Result {}

  public record Invalid(String why) implements Result {}

  /**
   * @param source the original client, or null for LOCAL (health checks) and UNSPEC/unix families, where the
   *     connection's own peer stands
   * @param length bytes the header occupies; the proxied stream starts after them
   */
  public record Parsed(InetSocketAddress source, int length) implements Result {}

  /** Parses the header at the start of {@code b[0..len)}. */
  public static Result parse(byte[] b, int len) {
    int sig = Math.min(len, SIGNATURE.length);
    for (int i = 0; i < sig; i++) {
      if (b[i] != SIGNATURE[i]) return new NotProxy();
    }
    if (len < FIXED) return new NeedMore();
    int verCmd = b[12] & 0xff;
    if (verCmd >> 4 != 2) return new Invalid("version " + (verCmd >> 4) + ", expected 2");
    int cmd = verCmd & 0x0f;
    if (cmd > 1) return new Invalid("command " + cmd);
    int family = (b[13] & 0xff) >> 4;
    int length = (b[14] & 0xff) << 8 | (b[15] & 0xff);
    if (length > MAX_LENGTH) return new Invalid("header length " + length + " over " + MAX_LENGTH);
    if (len < FIXED + length) return new NeedMore();
    if (cmd == 0) {
      return new Parsed(null, FIXED + length); // LOCAL: the proxy speaks for itself
    }
    int addrLen = switch (family) {
      case 1 -> 4;
      case 2 -> 16;
      default -> 0;
    };
    if (addrLen == 0) {
      return new Parsed(null, FIXED + length); // UNSPEC or AF_UNIX: no usable source address
    }
    if (length < 2 * addrLen + 4) return new Invalid("address block of " + length + " bytes is too short");
    byte[] src = new byte[addrLen];
    System.arraycopy(b, FIXED, src, 0, addrLen);
    int portAt = FIXED + 2 * addrLen;
    int port = (b[portAt] & 0xff) << 8 | (b[portAt + 1] & 0xff);
    try {
      return new Parsed(new InetSocketAddress(InetAddress.getByAddress(src), port), FIXED + length);
    } catch (UnknownHostException e) {
      return new Invalid("bad address"); // unreachable: the length is 4 or 16
    }
  }
}
