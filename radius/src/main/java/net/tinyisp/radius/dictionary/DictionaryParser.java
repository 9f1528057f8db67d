package net.tinyisp.radius.dictionary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.tinyisp.common.config.ConfigException;
import net.tinyisp.radius.wire.VendorSpecific;

/**
 * Reads dictionaries in FreeRADIUS's format (dictionary(5)): {@code $INCLUDE}, {@code VENDOR name id
 * [format=T,L]}, {@code BEGIN-VENDOR}/{@code END-VENDOR}, {@code ATTRIBUTE name number type [flags]} with flags
 * {@code encrypt=N} and {@code has_tag}, and {@code VALUE attribute name number}. RFC 6929 extended attributes
 * (dotted numbers, {@code tlv}/{@code extended}/{@code evs} types, {@code BEGIN-TLV} blocks and
 * {@code format=Extended-Vendor-Specific-N} vendors) are skipped and counted, so Debian's full dictionary loads.
 * Errors name the file and line.
 */
public final class DictionaryParser {
  private static final int MAX_INCLUDE_DEPTH = 32;

  private final Dictionary.Builder b = new Dictionary.Builder();
  private final Map<String, Long> codeByName = new HashMap<>();
  private final Map<Long, LinkedHashMap<String, Long>> valuesByCode = new HashMap<>();
  private final Map<Long, String> nameByCode = new HashMap<>();
  private final Map<String, AttributeDef> shapeByName = new HashMap<>();
  private final Set<String> seen = new HashSet<>();
  private int depth;

  public static Dictionary parse(Path file) {
    DictionaryParser p = new DictionaryParser();
    p.include(file);
    return p.build();
  }

  public static Dictionary parseResource(String resource) {
    DictionaryParser p = new DictionaryParser();
    p.includeResource(resource);
    return p.build();
  }

  /** Parses dictionary text from memory; {@code $INCLUDE} resolves against {@code baseDir} (may be null). */
  public static Dictionary parseText(String text, String sourceName) {
    DictionaryParser p = new DictionaryParser();
    p.read(new java.io.StringReader(text), sourceName, null, null);
    return p.build();
  }

  public void include(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    if (!seen.add(abs.toString())) return; // the same file twice: FreeRADIUS ignores it too
    try (Reader r = Files.newBufferedReader(abs, StandardCharsets.UTF_8)) {
      read(r, abs.toString(), abs.getParent(), null);
    } catch (NoSuchFileException e) {
      throw new ConfigException(abs.toString(), -1, -1, "dictionary file not found");
    } catch (IOException e) {
      throw new ConfigException(abs.toString(), -1, -1, "cannot read dictionary: " + e.getMessage());
    }
  }

  public void includeResource(String resource) {
    if (!seen.add("classpath:" + resource)) return;
    InputStream in = DictionaryParser.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) throw new ConfigException("classpath:" + resource, -1, -1, "dictionary resource not found");
    String dir = resource.contains("/") ? resource.substring(0, resource.lastIndexOf('/') + 1) : "";
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      read(r, "classpath:" + resource, null, dir);
    } catch (IOException e) {
      throw new ConfigException("classpath:" + resource, -1, -1, "cannot read dictionary: " + e.getMessage());
    }
  }

  public Dictionary build() {
    Map<Long, AttributeDef> withValues = new HashMap<>();
    for (Map.Entry<String, AttributeDef> e : shapeByName.entrySet()) {
      AttributeDef s = e.getValue();
      long key = Dictionary.key(s.vendorId(), s.type());
      AttributeDef d = new AttributeDef(s.name(), s.vendorId(), s.type(), s.dataType(), s.encrypt(), s.hasTag(),
          valuesByCode.getOrDefault(key, new LinkedHashMap<>()));
      b.byName.put(e.getKey(), d);
      if (s.name().equals(nameByCode.get(key))) withValues.put(key, d);
    }
    b.byCode.putAll(withValues);
    return new Dictionary(b.byName, b.byCode, b.vendorsByName, b.vendorsById, b.skipped);
  }

  private void read(Reader reader, String source, Path dir, String resourceDir) {
    if (++depth > MAX_INCLUDE_DEPTH) throw new ConfigException(source, -1, -1, "$INCLUDE nested too deep");
    try {
      BufferedReader in = new BufferedReader(reader);
      VendorDef vendor = null;
      String skipUntil = null; // END-TLV or END-VENDOR of a block we skip
      String line;
      int no = 0;
      while ((line = in.readLine()) != null) {
        no++;
        int hash = line.indexOf('#');
        if (hash >= 0) line = line.substring(0, hash);
        String[] t = line.strip().split("\\s+");
        if (t.length == 0 || t[0].isEmpty()) continue;
        String kw = t[0].toUpperCase(Locale.ROOT);
        if (skipUntil != null) {
          if (kw.equals(skipUntil)) skipUntil = null;
          else if (kw.equals("ATTRIBUTE")) b.skipped++;
          continue;
        }
        try {
          switch (kw) {
            case "$INCLUDE", "$INCLUDE-" -> {
              need(t, 2, "$INCLUDE FILE");
              includeFrom(t[1], dir, resourceDir, kw.endsWith("-"));
            }
            case "VENDOR" -> vendor(t);
            case "BEGIN-VENDOR" -> {
              need(t, 2, "BEGIN-VENDOR NAME");
              if (t.length > 2 && t[2].toLowerCase(Locale.ROOT).startsWith("format=extended-vendor-specific")) {
                skipUntil = "END-VENDOR"; // RFC 6929 §2.4 Extended-Vendor-Specific: not implemented
              } else {
                vendor = b.vendorsByName.get(t[1].toLowerCase(Locale.ROOT));
                if (vendor == null) throw new IllegalArgumentException("unknown vendor '" + t[1] + "'");
              }
            }
            case "END-VENDOR" -> vendor = null;
            case "BEGIN-TLV" -> skipUntil = "END-TLV"; // RFC 6929 TLVs: not implemented
            case "END-TLV" -> { }
            case "ATTRIBUTE" -> attribute(t, vendor);
            case "VALUE" -> value(t);
            default -> throw new IllegalArgumentException("unknown keyword '" + t[0] + "'");
          }
        } catch (ConfigException e) {
          throw e;
        } catch (IllegalArgumentException e) {
          throw new ConfigException(source, no, -1, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new ConfigException(source, -1, -1, "cannot read dictionary: " + e.getMessage());
    } finally {
      depth--;
    }
  }

  private void includeFrom(String name, Path dir, String resourceDir, boolean optional) {
    if (resourceDir != null) {
      String res = name.startsWith("/") ? name.substring(1) : resourceDir + name;
      if (optional && DictionaryParser.class.getClassLoader().getResource(res) == null) return;
      includeResource(res);
      return;
    }
    Path p = dir == null ? Path.of(name) : dir.resolve(name);
    if (optional && !Files.exists(p)) return;
    include(p);
  }

  private static void need(String[] t, int n, String form) {
    if (t.length < n) throw new IllegalArgumentException("expected " + form);
  }

  private void vendor(String[] t) {
    need(t, 3, "VENDOR NAME NUMBER [format=T,L]");
    int id = (int) number(t[2], 0xffffffL, "vendor number");
    VendorSpecific.Format format = VendorSpecific.Format.STANDARD;
    if (t.length > 3) {
      if (!t[3].toLowerCase(Locale.ROOT).startsWith("format=")) {
        throw new IllegalArgumentException("expected format=T,L after the vendor number, got '" + t[3] + "'");
      }
      String[] f = t[3].substring(7).split(",");
      try {
        // a trailing ",c" (WiMAX continuation) is accepted and not implemented: see README deviations
        format = new VendorSpecific.Format(Integer.parseInt(f[0]), f.length > 1 ? Integer.parseInt(f[1]) : 1);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad '" + t[3] + "': expected format=T,L with T in 1,2,4, L in 0,1,2");
      }
    }
    VendorDef v = new VendorDef(t[1], id, format);
    b.vendorsByName.put(t[1].toLowerCase(Locale.ROOT), v);
    b.vendorsById.put(id, v);
  }

  private void attribute(String[] t, VendorDef vendor) {
    need(t, 4, "ATTRIBUTE NAME NUMBER TYPE [FLAGS]");
    String name = t[1];
    if (t[2].indexOf('.') >= 0 || DataType.isStructural(t[3])) {
      b.skipped++; // RFC 6929 extended space or a TLV parent
      return;
    }
    DataType type = DataType.ofKeyword(t[3]);
    if (type == null) throw new IllegalArgumentException("unknown attribute type '" + t[3] + "'");
    int encrypt = 0;
    boolean hasTag = false;
    VendorDef v = vendor;
    if (t.length > 4) {
      boolean flags = false;
      for (String f : t[4].split(",")) {
        String fl = f.toLowerCase(Locale.ROOT);
        if (fl.startsWith("encrypt=")) {
          encrypt = (int) number(fl.substring(8), 3, "encrypt");
          flags = true;
        } else if (fl.equals("has_tag")) {
          hasTag = true;
          flags = true;
        } else if (fl.equals("array") || fl.equals("concat") || fl.equals("virtual") || fl.equals("secret")
            || fl.equals("abinary")) {
          flags = true;
          if (fl.equals("virtual")) {
            b.skipped++; // server-internal, never on the wire
            return;
          }
        } else if (!flags && t[4].indexOf(',') < 0 && b.vendorsByName.containsKey(fl)) {
          v = b.vendorsByName.get(fl); // old form: ATTRIBUTE NAME NUMBER TYPE VENDOR
        } else {
          throw new IllegalArgumentException("unknown attribute flag '" + f + "'");
        }
      }
    }
    int vendorId = v == null ? 0 : v.id();
    long max = v == null ? 255 : switch (v.format().typeSize()) {
      case 1 -> 255L;
      case 2 -> 65535L;
      default -> 0xffffffffL;
    };
    long number = number(t[2], Long.MAX_VALUE, "attribute number");
    if (number > max) {
      if (v == null) {
        b.skipped++; // FreeRADIUS internal attributes (> 255) never appear on the wire
        return;
      }
      throw new IllegalArgumentException("attribute number " + number + " exceeds vendor " + v.name() + "'s " + max);
    }
    if (number < 1 && v == null) throw new IllegalArgumentException("attribute number must be 1..255");
    long key = Dictionary.key(vendorId, (int) number);
    AttributeDef def = new AttributeDef(name, vendorId, (int) number, type, encrypt, hasTag, Map.of());
    shapeByName.put(name.toLowerCase(Locale.ROOT), def);
    codeByName.put(name.toLowerCase(Locale.ROOT), key);
    nameByCode.put(key, name);
  }

  private void value(String[] t) {
    need(t, 4, "VALUE ATTRIBUTE NAME NUMBER");
    Long key = codeByName.get(t[1].toLowerCase(Locale.ROOT));
    if (key == null) {
      b.skipped++; // VALUE of a skipped (extended/TLV) attribute
      return;
    }
    long v = number(t[3], 0xffffffffffffffffL >>> 1, "value");
    valuesByCode.computeIfAbsent(key, k -> new LinkedHashMap<>()).putIfAbsent(t[2], v);
  }

  private static long number(String s, long max, String what) {
    try {
      long v = s.toLowerCase(Locale.ROOT).startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
      if (v < 0 || v > max) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad " + what + " '" + s + "'");
    }
  }

}
