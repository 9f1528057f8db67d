package net.tinyisp.radius.server;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One Accounting-Request as the sink sees it.
 *
 * @param nasAddress the source address of the datagram, in RFC 5952 text
 * @param statusType the Acct-Status-Type value name: {@code Start}, {@code Interim-Update}, {@code Stop},
 *     {@code Accounting-On}, {@code Accounting-Off}, or the number if the dictionary has no name for it
 * @param attributes decoded attribute names to their presentation values, in packet order (a list because an
 *     attribute may repeat); unknown attributes appear as {@code Attr-N} / {@code Vendor-V-Attr-N} with hex values
 */
public record AccountingRecord(Instant received, String nasAddress, String statusType,
    Map<String, List<String>> attributes) {

  public AccountingRecord {
    attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
  }

  /** The first value of an attribute, or null. */
  public String first(String name) {
    List<String> v = attributes.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
