package net.tinyisp.radius.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.radius.dictionary.AttributeCodec;
import net.tinyisp.radius.dictionary.Dictionary;

/**
 * A FreeRADIUS {@code users} file (rlm_files), the format operators move from:
 *
 * <pre>
 * user0001  Cleartext-Password := "pass0001"
 *           RP-Upstream-Speed-Limit = 5120,
 *           RP-Downstream-Speed-Limit = 10240,
 *           Acct-Interim-Interval = 300
 * </pre>
 *
 * An entry starts in column 0 with the user name and its check items (comma-separated, on that line); indented
 * lines hold reply items, each but the last ending in a comma. Reply items are checked against the dictionary (the
 * attribute exists, the value encodes); errors name the file and line. Check items are kept as written for the
 * importer to interpret; {@link Entry#cleartextPassword()} reads {@code Cleartext-Password} (or the old
 * {@code User-Password} / {@code Password} check items).
 */
public record UsersFile(Path source, List<Entry> entries) {

  public UsersFile {
    entries = List.copyOf(entries);
  }

  /** One check or reply item: {@code Attribute op value}, the value unquoted. */
  public record Item(String attribute, String operator, String value) {}

  /** One entry; {@code line} is where it starts, for messages. */
  public record Entry(String username, List<Item> checkItems, List<ReplyItem> replyItems, int line) {
    public Entry {
      checkItems = List.copyOf(checkItems);
      replyItems = List.copyOf(replyItems);
    }

    public String cleartextPassword() {
      for (Item i : checkItems) {
        String a = i.attribute();
        if (a.equalsIgnoreCase("Cleartext-Password") || a.equalsIgnoreCase("User-Password")
            || a.equalsIgnoreCase("Password.Cleartext") || a.equalsIgnoreCase("Password")) {
          return i.value();
        }
      }
      return null;
    }

    /** {@code Auth-Type := Reject} disables an entry in FreeRADIUS. */
    public boolean rejected() {
      return checkItems.stream().anyMatch(i -> i.attribute().equalsIgnoreCase("Auth-Type")
          && i.value().equalsIgnoreCase("Reject"));
    }
  }

  private static final List<String> OPERATORS = List.of(":=", "==", "+=", "!=", ">=", "<=", "=~", "!~", "=*", "!*",
      "=", ">", "<");

  public static UsersFile parse(Path file, Dictionary dictionary) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), -1, -1, "users file not found");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), -1, -1, "cannot read users file: " + e.getMessage());
    }
    return parse(lines, file, dictionary);
  }

  static UsersFile parse(List<String> lines, Path source, Dictionary dictionary) {
    AttributeCodec codec = new AttributeCodec(dictionary);
    String where = source == null ? "users" : source.toString();
    List<Entry> entries = new ArrayList<>();
    String user = null;
    List<Item> check = null;
    List<ReplyItem> reply = null;
    int start = 0;
    boolean expectMore = false;
    for (int i = 0; i < lines.size(); i++) {
      int no = i + 1;
      String raw = lines.get(i);
      String line = stripComment(raw);
      if (line.isBlank()) continue;
      try {
        if (!Character.isWhitespace(line.charAt(0))) {
          if (expectMore) throw new IllegalArgumentException("the previous reply item ends with ',' but no item follows");
          if (user != null) entries.add(new Entry(user, check, reply, start));
          Cursor c = new Cursor(line);
          user = c.word();
          if (user.isEmpty()) throw new IllegalArgumentException("expected a user name");
          check = new ArrayList<>();
          reply = new ArrayList<>();
          start = no;
          c.skipSpace();
          while (!c.done()) {
            check.add(c.item());
            c.skipSpace();
            if (c.done()) break;
            c.expect(',');
            c.skipSpace();
          }
          expectMore = false;
        } else {
          if (user == null) throw new IllegalArgumentException("a reply item before any user name");
          if (!expectMore && !reply.isEmpty()) {
            throw new IllegalArgumentException("the previous reply item needs a trailing ',' to continue");
          }
          Cursor c = new Cursor(line);
          c.skipSpace();
          expectMore = false;
          while (!c.done()) {
            Item it = c.item();
            if (!it.operator().equals("=") && !it.operator().equals(":=") && !it.operator().equals("+=")) {
              throw new IllegalArgumentException("reply item " + it.attribute() + " uses '" + it.operator()
                  + "'; reply items take =, := or +=");
            }
            if (!it.attribute().equalsIgnoreCase("Fall-Through")) {
              codec.encode(it.attribute(), it.value(), new byte[] {1}, new byte[16]); // validates name and value
              reply.add(new ReplyItem(it.attribute(), it.value()));
            }
            c.skipSpace();
            if (c.done()) break;
            c.expect(',');
            c.skipSpace();
            if (c.done()) expectMore = true;
          }
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where, no, -1, e.getMessage());
      }
    }
    if (user != null) entries.add(new Entry(user, check, reply, start));
    return new UsersFile(source, entries);
  }

  private static String stripComment(String s) {
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && quoted) i++;
      else if (ch == '"') quoted = !quoted;
      else if (ch == '#' && !quoted) return s.substring(0, i);
    }
    return s;
  }

  /** A small tokenizer over one line. */
  private static final class Cursor {
    private final String s;
    private int p;

    Cursor(String s) {
      this.s = s;
    }

    boolean done() {
      return p >= s.length();
    }

    void skipSpace() {
      while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
    }

    void expect(char ch) {
      if (done() || s.charAt(p) != ch) {
        throw new IllegalArgumentException("expected '" + ch + "' at column " + (p + 1));
      }
      p++;
    }

    String word() {
      skipSpace();
      if (!done() && s.charAt(p) == '"') return quoted();
      int b = p;
      while (p < s.length() && !Character.isWhitespace(s.charAt(p)) && s.charAt(p) != ','
          && "=:!<>+".indexOf(s.charAt(p)) < 0) {
        p++;
      }
      return s.substring(b, p);
    }

    String quoted() {
      StringBuilder out = new StringBuilder();
      p++; // opening quote
      while (p < s.length()) {
        char ch = s.charAt(p++);
        if (ch == '"') return out.toString();
        if (ch == '\\' && p < s.length()) {
          char e = s.charAt(p++);
          out.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            default -> e;
          });
        } else {
          out.append(ch);
        }
      }
      throw new IllegalArgumentException("unterminated quoted string");
    }

    Item item() {
      String attr = word();
      if (attr.isEmpty()) throw new IllegalArgumentException("expected an attribute name at column " + (p + 1));
      skipSpace();
      String op = null;
      for (String o : OPERATORS) {
        if (s.startsWith(o, p)) {
          op = o;
          break;
        }
      }
      if (op == null) throw new IllegalArgumentException("expected an operator (:=, =, ==, +=) after " + attr);
      p += op.length();
      skipSpace();
      if (done()) throw new IllegalArgumentException("expected a value after " + attr + " " + op);
      String value;
      if (s.charAt(p) == '"' || s.charAt(p) == '\'') {
        if (s.charAt(p) == '\'') {
          int end = s.indexOf('\'', p + 1);
          if (end < 0) throw new IllegalArgumentException("unterminated quoted string");
          value = s.substring(p + 1, end);
          p = end + 1;
        } else {
          value = quoted();
        }
      } else {
        int b = p;
        while (p < s.length() && s.charAt(p) != ',' && !Character.isWhitespace(s.charAt(p))) p++;
        value = s.substring(b, p);
      }
      return new Item(attr, op, value);
    }
  }
}
