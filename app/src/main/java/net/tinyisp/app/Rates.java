package net.tinyisp.app;

/** Rates as operators type them: {@code 20M}, {@code 512k}, {@code 1G}, or plain kbit/s ({@code 5120}). */
final class Rates {
  private Rates() {}

  /** kbit/s, or null for absent / {@code unlimited}. */
  static Long kbps(String text) {
    if (text == null || text.equalsIgnoreCase("unlimited")) return null;
    String t = text.strip();
    long mult = 1;
    char last = Character.toLowerCase(t.charAt(t.length() - 1));
    if (last == 'k') t = t.substring(0, t.length() - 1);
    else if (last == 'm') { mult = 1_000; t = t.substring(0, t.length() - 1); }
    else if (last == 'g') { mult = 1_000_000; t = t.substring(0, t.length() - 1); }
    try {
      double v = Double.parseDouble(t) * mult;
      if (v < 1 || v > 100_000_000) throw new NumberFormatException();
      return Math.round(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rate '" + text + "': expected e.g. 20M, 512k, 1G or kbit/s");
    }
  }
}
