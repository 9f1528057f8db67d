package net.tinyisp.common.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A listen or upstream address as operators write it: {@code 127.0.0.1:5353}, {@code [::1]:53}, {@code ::1}
 * (no port), {@code 127.0.0.1} with a default port. Only literal addresses: names would make start-up depend on DNS.
 */
public record HostPort(InetAddress address, int port) {

  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0..65535");
    }
  }

  public static HostPort parse(String text, int defaultPort) {
    String s = text.strip();
    String host;
    int port = defaultPort;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) throw new IllegalArgumentException("'" + text + "': missing ']'");
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) throw new IllegalArgumentException("'" + text + "': expected ':PORT' after ']'");
        port = parsePort(text, rest.substring(1));
      }
    } else if (s.chars().filter(c -> c == ':').count() == 1) {
      int colon = s.indexOf(':');
      host = s.substring(0, colon);
      port = parsePort(text, s.substring(colon + 1));
    } else {
      host = s; // IPv4 without port, or bare IPv6
    }
    if (port < 0) {
      throw new IllegalArgumentException("'" + text + "': a port is required (ADDRESS:PORT or [IPv6]:PORT)");
    }
    return new HostPort(literal(text, host), port);
  }

  private static int parsePort(String text, String p) {
    try {
      int v = Integer.parseInt(p);
      if (v < 0 || v > 65535) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': port must be a number 0..65535");
    }
  }

  private static InetAddress literal(String text, String host) {
    if (host.isEmpty() || !(host.matches("[0-9.]+") || host.matches("[0-9A-Fa-f:.]+(%\\w+)?"))) {
      throw new IllegalArgumentException("'" + text + "': expected a literal IPv4 or IPv6 address");
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "': expected a literal IPv4 or IPv6 address");
    }
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  @Override
  public String toString() {
    String h = address.getHostAddress();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }
}
