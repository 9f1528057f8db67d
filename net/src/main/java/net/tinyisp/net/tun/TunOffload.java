package net.tinyisp.net.tun;

import java.util.Locale;

/**
 * Offloads a TUN device accepts from its reader ({@code TUNSETOFFLOAD}, linux/if_tun.h). Enabling one tells the
 * kernel this reader handles packets that still need that work, so the stack may hand over checksum-partial
 * packets ({@code CSUM}) or super-packets ({@code TSO4}, {@code TSO6}, {@code USO4}, {@code USO6}, kernel 6.2+).
 */
public enum TunOffload {
  CSUM(0x01),
  TSO4(0x02),
  TSO6(0x04),
  TSO_ECN(0x08),
  USO4(0x20),
  USO6(0x40);

  private final int bit;

  TunOffload(int bit) {
    this.bit = bit;
  }

  public int bit() {
    return bit;
  }

  /** Parses the config spelling ({@code csum}, {@code tso4}, ...), case-insensitive. */
  public static TunOffload parse(String text) {
    for (TunOffload o : values()) {
      if (o.name().equalsIgnoreCase(text.trim())) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown TUN offload '" + text + "', expected one of csum, tso4, tso6, "
        + "tso_ecn, uso4, uso6");
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
