package net.tinyisp.radius.dictionary;

import java.util.Map;

/**
 * One {@code ATTRIBUTE} with its {@code VALUE} names.
 *
 * @param vendorId 0 for a standard attribute, else the vendor's enterprise number
 * @param encrypt 0 none, 1 User-Password style (RFC 2865 §5.2), 2 Tunnel-Password salt (RFC 2868 §3.5),
 *     3 Ascend secret (not implemented: kept raw)
 * @param hasTag a Tag octet precedes the value (RFC 2868 §3)
 * @param values VALUE name -> number, in definition order
 */
public record AttributeDef(String name, int vendorId, int type, DataType dataType, int encrypt, boolean hasTag,
    Map<String, Long> values) {

  public AttributeDef {
    values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
  }

  /** The VALUE name of a number, or null. */
  public String valueName(long v) {
    for (Map.Entry<String, Long> e : values.entrySet()) if (e.getValue() == v) return e.getKey();
    return null;
  }

  /** The number of a VALUE name (case-insensitive), or null. */
  public Long valueOf(String name) {
    Long v = values.get(name);
    if (v != null) return v;
    for (Map.Entry<String, Long> e : values.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
    return null;
  }
}
