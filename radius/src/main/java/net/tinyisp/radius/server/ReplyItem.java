package net.tinyisp.radius.server;

import java.util.Objects;

/** One reply attribute by dictionary name and presentation value ({@code RP-Upstream-Speed-Limit} = {@code 5120}). */
public record ReplyItem(String attribute, String value) {
  public ReplyItem {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(value, "value");
  }
}
