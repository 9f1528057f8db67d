package net.tinyisp.common.config;

/**
 * A configuration problem found at start: where it is (file, line, column when known) and what was expected.
 * Its message is written for the operator, not the developer.
 */
public final class ConfigException extends RuntimeException {
  private final String source;
  private final int line;
  private final int column;

  public ConfigException(String source, int line, int column, String message) {
    super(format(source, line, column, message));
    this.source = source;
    this.line = line;
    this.column = column;
  }

  /** A problem not tied to a place in a file, e.g. a command-line flag. */
  public ConfigException(String message) {
    this(null, -1, -1, message);
  }

  public String source() {
    return source;
  }

  /** 1-based line, or -1 when the problem has no line (a flag, a missing file). */
  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  private static String format(String source, int line, int column, String message) {
    if (source == null) {
      return message;
    }
    if (line < 0) {
      return source + ": " + message;
    }
    return source + ":" + line + (column > 0 ? ":" + column : "") + ": " + message;
  }
}
