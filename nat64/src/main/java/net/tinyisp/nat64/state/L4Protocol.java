package net.tinyisp.nat64.state;

/** The three protocols RFC 6146 keeps state for; ICMP stands for ICMPv4 informational and ICMPv6 informational. */
public enum L4Protocol {
  TCP(6, 6),
  UDP(17, 17),
  ICMP(1, 58);

  public final int v4Number;
  public final int v6Number;

  L4Protocol(int v4Number, int v6Number) {
    this.v4Number = v4Number;
    this.v6Number = v6Number;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
