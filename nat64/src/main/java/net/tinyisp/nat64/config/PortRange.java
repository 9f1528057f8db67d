package net.tinyisp.nat64.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An inclusive range of ports or ICMP identifiers, written {@code 61000-65535} (Jool's pool4 syntax). */
public record PortRange(int first, int last) {

  public PortRange {
    if (first < 0 || last > 65535 || first > last) {
      throw new IllegalArgumentException("port range " + first + "-" + last + " must satisfy 0 <= first <= last <= 65535");
    }
  }

  @JsonCreator
  public static PortRange parse(String text) {
    String s = text.strip();
    int dash = s.indexOf('-');
    try {
      if (dash < 0) {
        int p = Integer.parseInt(s);
        return new PortRange(p, p);
      }
      return new PortRange(Integer.parseInt(s.substring(0, dash).strip()), Integer.parseInt(s.substring(dash + 1).strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a port range; expected FIRST-LAST such as 61000-65535");
    }
  }

  public int size() {
    return last - first + 1;
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @JsonValue
  @Override
  public String toString() {
    return first + "-" + last;
  }
}
