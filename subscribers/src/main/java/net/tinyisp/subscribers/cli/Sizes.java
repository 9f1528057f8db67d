package net.tinyisp.subscribers.cli;

import java.util.Locale;

/** Octet counts as operators write them: {@code 500M}, {@code 100G}, {@code 1T} (SI, powers of 1000), or bytes. */
final class Sizes {
  private Sizes() {}

  static long parse(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT).replaceAll("B$", "");
    long mult = 1;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'K' -> mult = 1_000L;
        case 'M' -> mult = 1_000_000L;
        case 'G' -> mult = 1_000_000_000L;
        case 'T' -> mult = 1_000_000_000_000L;
        default -> mult = 1;
      }
      if (mult != 1) t = t.substring(0, t.length() - 1);
    }
    try {
      long v = Long.parseLong(t.strip());
      if (v < 0) throw new NumberFormatException();
      return Math.multiplyExact(v, mult);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size: use bytes or 500M, 100G, 1T");
    }
  }

  static String format(long octets) {
    if (octets == 0) return "0";
    String[] units = {"", "K", "M", "G", "T", "P"};
    int u = 0;
    double v = octets;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return u == 0 ? Long.toString(octets) : String.format(Locale.ROOT, "%.2f%s", v, units[u]);
  }
}
