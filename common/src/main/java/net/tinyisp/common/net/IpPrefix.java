package net.tinyisp.common.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix in CIDR form ({@code 10.0.0.0/8}, {@code 64:ff9b::/96}). Accepts bind's short IPv4 forms
 * ({@code 10/8}, {@code 192.168/16}) because operators copy them from named.conf. Host bits must be zero, as bind
 * and Jool require, so that a typo is not silently widened.
 */
public record IpPrefix(byte[] network, int length) {

  public IpPrefix {
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("an address is 4 or 16 bytes, not " + network.length);
    }
    if (length < 0 || length > network.length * 8) {
      throw new IllegalArgumentException("prefix length " + length + " is outside 0.." + network.length * 8);
    }
    network = network.clone();
  }

  public static IpPrefix parse(String text) {
    String s = text.strip();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = parseAddress(addr, slash >= 0);
    int len;
    if (slash < 0) {
      len = bytes.length * 8;
    } else {
      try {
        len = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a prefix: the length after '/' must be a number");
      }
    }
    if (len < 0 || len > bytes.length * 8) {
      throw new IllegalArgumentException("'" + text + "': prefix length must be 0.." + bytes.length * 8);
    }
    IpPrefix p = new IpPrefix(bytes, len);
    if (!Arrays.equals(p.network, mask(bytes, len))) {
      throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean "
          + new IpPrefix(mask(bytes, len), len) + "?");
    }
    return p;
  }

  public static IpPrefix of(InetAddress address, int length) {
    return new IpPrefix(mask(address.getAddress(), length), length);
  }

  private static byte[] parseAddress(String addr, boolean allowShortV4) {
    if (addr.isEmpty()) {
      throw new IllegalArgumentException("empty address");
    }
    if (addr.indexOf(':') >= 0) {
      if (!addr.matches("[0-9A-Fa-f:.]+")) {
        throw new IllegalArgumentException("'" + addr + "' is not an IPv6 address");
      }
      try {
        byte[] b = InetAddress.getByName(addr).getAddress();
        if (b.length == 4) { // Java folds ::ffff:a.b.c.d to IPv4; keep it IPv6
          byte[] v6 = new byte[16];
          v6[10] = (byte) 0xff;
          v6[11] = (byte) 0xff;
          System.arraycopy(b, 0, v6, 12, 4);
          return v6;
        }
        return b;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + addr + "' is not an IPv6 address");
      }
    }
    String[] parts = addr.split("\\.", -1);
    if (parts.length > 4 || (parts.length < 4 && !allowShortV4)) {
      throw new IllegalArgumentException("'" + addr + "' is not an IPv4 address");
    }
    byte[] b = new byte[4];
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].matches("[0-9]{1,3}")) {
        throw new IllegalArgumentException("'" + addr + "' is not an IPv4 address");
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        throw new IllegalArgumentException("'" + addr + "' is not an IPv4 address");
      }
      b[i] = (byte) v;
    }
    return b;
  }

  static byte[] mask(byte[] address, int length) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, length - i * 8));
      out[i] &= (byte) (0xff00 >> bits);
    }
    return out;
  }

  public boolean isIpv4() {
    return network.length == 4;
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = length / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) return false;
    }
    int rest = length % 8;
    if (rest == 0) return true;
    int m = 0xff00 >> rest & 0xff;
    return (address[full] & m) == (network[full] & m);
  }

  public InetAddress address() {
    try {
      return network.length == 16
          ? Inet6Address.getByAddress(null, network, null)
          : Inet4Address.getByAddress(network);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public String toString() {
    return AddressText.format(network) + "/" + length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + length;
  }
}
