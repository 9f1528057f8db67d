package net.tinyisp.subscribers.model;

import java.util.Objects;

/** An extra reply attribute of a plan, by dictionary name and presentation value ({@code Idle-Timeout = 600}). */
public record PlanReplyItem(String attribute, String value) {
  public PlanReplyItem {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(value, "value");
    if (!attribute.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("'" + attribute + "' is not an attribute name");
    }
  }

  /** Parses {@code Name=value} or {@code Name = "value"} as an operator types it. */
  public static PlanReplyItem parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("'" + text + "': expected Attribute-Name=value");
    }
    String value = text.substring(eq + 1).strip();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return new PlanReplyItem(text.substring(0, eq).strip(), value);
  }

  @Override
  public String toString() {
    return attribute + " = " + value;
  }
}
