package net.tinyisp.common.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.IgnoredPropertyException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Reads one YAML file into an immutable config record. Unknown keys, wrong types and values that a type's own
 * parser refuses all fail with the file, the line and the expected form, so an operator can fix the file without
 * reading code.
 */
public final class ConfigLoader {
  private final ObjectMapper mapper;

  public ConfigLoader() {
    this.mapper =
        JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            // bind's and Jool's words: break-dnssec, recursive-only, pool4; a record component breakDnssec reads them
            .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.KEBAB_CASE)
            .build();
  }

  public <T> T load(Path file, Class<T> type) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), type);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), -1, -1, "no such file");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), -1, -1, "cannot read: " + e.getMessage());
    }
  }

  /** Reads a classpath resource, e.g. the embedded default config. */
  public <T> T loadResource(String resource, Class<T> type) {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException("classpath:" + resource, -1, -1, "missing from the distribution");
      }
      return read(in, "classpath:" + resource, type);
    } catch (IOException e) {
      throw new ConfigException("classpath:" + resource, -1, -1, "cannot read: " + e.getMessage());
    }
  }

  public <T> T read(InputStream in, String source, Class<T> type) {
    byte[] bytes;
    try {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ConfigException(source, -1, -1, "cannot read: " + e.getMessage());
    }
    if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines()
        .allMatch(l -> l.isBlank() || l.strip().startsWith("#") || l.strip().equals("---"))) {
      throw new ConfigException(source, -1, -1, "the file is empty; expected a YAML mapping");
    }
    try {
      T value = mapper.readValue(bytes, type);
      if (value == null) {
        throw new ConfigException(source, -1, -1, "the file is empty; expected a YAML mapping");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw translate(source, e, locations(bytes));
    } catch (IOException e) {
      throw new ConfigException(source, -1, -1, "cannot read: " + e.getMessage());
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      // A record's compact constructor rejected a combination of values.
      throw new ConfigException(source, -1, -1, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Where each key and value starts in the file. Jackson buffers a record's properties before it builds the record,
   * so the location in its exceptions is where the mapping ended; the key path finds the real line.
   */
  private java.util.Map<String, JsonLocation> locations(byte[] bytes) {
    java.util.Map<String, JsonLocation> out = new java.util.HashMap<>();
    try (com.fasterxml.jackson.core.JsonParser p = mapper.getFactory().createParser(bytes)) {
      while (p.nextToken() != null) {
        String pointer = p.getParsingContext().pathAsPointer().toString();
        out.putIfAbsent(pointer, p.currentTokenLocation());
      }
    } catch (IOException | RuntimeException e) {
      // a syntax error: the binding pass reports it with its own location
    }
    return out;
  }

  private static ConfigException translate(String source, JsonProcessingException e, java.util.Map<String, JsonLocation> locations) {
    JsonLocation at = e.getLocation();
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder pointer = new StringBuilder();
      for (JsonMappingException.Reference r : m.getPath()) {
        pointer.append('/').append(r.getFieldName() != null ? r.getFieldName().replace("~", "~0").replace("/", "~1") : String.valueOf(r.getIndex()));
      }
      at = locations.getOrDefault(pointer.toString(), at);
    }
    int line = at == null ? -1 : at.getLineNr();
    int column = at == null ? -1 : at.getColumnNr();
    String where = e instanceof JsonMappingException m ? path(m) : "";
    String message =
        switch (e) {
          case UnrecognizedPropertyException u ->
              "unknown key '" + u.getPropertyName() + "'" + inside(where) + "; expected one of " + known(u.getKnownPropertyIds());
          case IgnoredPropertyException u -> "key '" + u.getPropertyName() + "' is not allowed here" + inside(where);
          case InvalidFormatException f ->
              "bad value '" + f.getValue() + "' for " + label(where) + ": expected " + expected(f);
          case MismatchedInputException m -> "bad value for " + label(where) + ": " + cause(m) + expectedType(m);
          case JsonMappingException m when m.getCause() instanceof IllegalArgumentException iae ->
              "bad value for " + label(where) + ": " + iae.getMessage();
          default -> cause(e);
        };
    return new ConfigException(source, line, column, message);
  }

  private static String path(JsonMappingException m) {
    return m.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  private static String inside(String where) {
    int dot = where.lastIndexOf('.');
    return dot < 0 ? "" : " in '" + where.substring(0, dot) + "'";
  }

  private static String label(String where) {
    return where.isEmpty() ? "the document" : "'" + where + "'";
  }

  private static String known(Collection<Object> ids) {
    return ids == null ? "(none)" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static String expected(InvalidFormatException f) {
    Class<?> t = f.getTargetType();
    if (t != null && t.isEnum()) {
      return "one of " + java.util.Arrays.stream(t.getEnumConstants()).map(c -> c.toString().toLowerCase())
          .collect(Collectors.joining(", "));
    }
    return t == null ? "another value" : describe(t);
  }

  private static String expectedType(MismatchedInputException m) {
    return m.getTargetType() == null ? "" : " (expected " + describe(m.getTargetType()) + ")";
  }

  private static String describe(Class<?> t) {
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) return "a whole number";
    if (t == boolean.class || t == Boolean.class) return "true or false";
    if (t == String.class) return "a string";
    if (java.util.List.class.isAssignableFrom(t)) return "a list";
    if (t.isRecord() || java.util.Map.class.isAssignableFrom(t)) return "a mapping";
    return "a " + t.getSimpleName();
  }

  private static String cause(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    int nl = msg == null ? -1 : msg.indexOf('\n');
    return nl < 0 ? String.valueOf(msg) : msg.substring(0, nl);
  }
}
