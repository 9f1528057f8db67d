package net.tinyisp.dns.doh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query string of a DoH or JSON request ({@code dns=...&ct=...}, {@code name=...&type=AAAA}) as a map of the
 * first value of each key. Bounded: at most {@link #MAX_PARAMETERS} pairs and {@link #MAX_LENGTH} characters;
 * bad percent-escapes are refused rather than guessed (RFC 3986 §2.1).
 */
public final class QueryParameters {
  public static final int MAX_LENGTH = 100_000; // the base64url of a 65535-byte message is 87380 characters
  public static final int MAX_PARAMETERS = 32;

  private QueryParameters() {}

  /**
   * @param rawQuery the part after {@code ?}, still percent-encoded; null or empty gives an empty map
   * @throws IllegalArgumentException on a bad escape, too many parameters or too much text
   */
  public static Map<String, String> parse(String rawQuery) {
    Map<String, String> out = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    if (rawQuery.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("query string longer than " + MAX_LENGTH);
    }
    int count = 0;
    int start = 0;
    while (start <= rawQuery.length()) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? rawQuery.length() : amp;
      if (end > start) {
        if (++count > MAX_PARAMETERS) {
          throw new IllegalArgumentException("more than " + MAX_PARAMETERS + " parameters");
        }
        int eq = rawQuery.indexOf('=', start);
        String key;
        String value;
        if (eq < 0 || eq > end) {
          key = decode(rawQuery, start, end);
          value = "";
        } else {
          key = decode(rawQuery, start, eq);
          value = decode(rawQuery, eq + 1, end);
        }
        out.putIfAbsent(key, value);
      }
      if (amp < 0) break;
      start = amp + 1;
    }
    return out;
  }

  private static String decode(String s, int from, int to) {
    if (s.indexOf('%', from) < 0 || s.indexOf('%', from) >= to) {
      if (s.indexOf('+', from) < 0 || s.indexOf('+', from) >= to) return s.substring(from, to);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= to) {
          throw new IllegalArgumentException("truncated percent-escape");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent-escape");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c == '+') {
        bytes.write(' '); // application/x-www-form-urlencoded, as curl and browsers send /resolve names
      } else if (c > 0x7f) {
        int n = Character.isHighSurrogate(c) && i + 1 < to ? 2 : 1;
        byte[] b = s.substring(i, i + n).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
        i += n - 1;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
