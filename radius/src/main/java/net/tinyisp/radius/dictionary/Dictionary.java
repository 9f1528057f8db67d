package net.tinyisp.radius.dictionary;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Path;

/**
 * An immutable set of attribute and vendor definitions, read from FreeRADIUS-format dictionary files by
 * {@link DictionaryParser}. Names are case-insensitive as in FreeRADIUS; when two names share a number the last
 * definition is the one used to print (FreeRADIUS does the same), both names resolve.
 */
public final class Dictionary {
  private final Map<String, AttributeDef> byName;
  private final Map<Long, AttributeDef> byCode;
  private final Map<String, VendorDef> vendorsByName;
  private final Map<Integer, VendorDef> vendorsById;
  private final int skipped;

  Dictionary(Map<String, AttributeDef> byName, Map<Long, AttributeDef> byCode, Map<String, VendorDef> vendorsByName,
      Map<Integer, VendorDef> vendorsById, int skipped) {
    this.byName = Map.copyOf(byName);
    this.byCode = Map.copyOf(byCode);
    this.vendorsByName = Map.copyOf(vendorsByName);
    this.vendorsById = Map.copyOf(vendorsById);
    this.skipped = skipped;
  }

  private static volatile Dictionary standard;

  /** The dictionaries tinyisp ships ({@code dictionary/dictionary} on the classpath). */
  public static Dictionary standard() {
    Dictionary d = standard;
    if (d == null) {
      d = DictionaryParser.parseResource("dictionary/dictionary");
      standard = d;
    }
    return d;
  }

  /** The shipped dictionaries plus operator files (later definitions win for printing). */
  public static Dictionary standardPlus(Collection<Path> files) {
    if (files.isEmpty()) return standard();
    DictionaryParser p = new DictionaryParser();
    p.includeResource("dictionary/dictionary");
    for (Path f : files) p.include(f);
    return p.build();
  }

  static long key(int vendor, int type) {
    return (long) vendor << 32 | (type & 0xffffffffL);
  }

  public AttributeDef attribute(String name) {
    return byName.get(name.toLowerCase(Locale.ROOT));
  }

  public AttributeDef attribute(int vendorId, int type) {
    return byCode.get(key(vendorId, type));
  }

  public VendorDef vendor(String name) {
    return vendorsByName.get(name.toLowerCase(Locale.ROOT));
  }

  public VendorDef vendor(int id) {
    return vendorsById.get(id);
  }

  public int attributeCount() {
    return byCode.size();
  }

  public int vendorCount() {
    return vendorsById.size();
  }

  /** Definitions the parser skipped on purpose (RFC 6929 extended/TLV attributes, internal numbers). */
  public int skipped() {
    return skipped;
  }

  static final class Builder {
    final Map<String, AttributeDef> byName = new HashMap<>();
    final Map<Long, AttributeDef> byCode = new HashMap<>();
    final Map<String, VendorDef> vendorsByName = new HashMap<>();
    final Map<Integer, VendorDef> vendorsById = new HashMap<>();
    int skipped;
  }
}
