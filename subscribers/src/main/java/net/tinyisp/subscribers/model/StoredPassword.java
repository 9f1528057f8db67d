package net.tinyisp.subscribers.model;

import java.util.Objects;

/**
 * A password as the store keeps it. PAP (RFC 2865 §5.2) sends the password itself, so a hash suffices; CHAP
 * (RFC 1994 §4.1) sends MD5(id || secret || challenge), which can only be checked against the cleartext.
 */
public sealed interface StoredPassword {

  /** Constant-time check of a PAP password. */
  boolean matches(String candidate);

  /** The text kept in the store's password column (or LDAP userPassword). */
  String encoded();

  /** Parses the stored column: {@code {CLEARTEXT}...} or a hash scheme {@link PasswordHash} knows. */
  static StoredPassword decode(String stored) {
    if (stored.startsWith(Cleartext.PREFIX)) {
      return new Cleartext(stored.substring(Cleartext.PREFIX.length()));
    }
    PasswordHash.requireKnownScheme(stored);
    return new Hashed(stored);
  }

  record Cleartext(String value) implements StoredPassword {
    static final String PREFIX = "{CLEARTEXT}";

    public Cleartext {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean matches(String candidate) {
      return java.security.MessageDigest.isEqual(
          value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String encoded() {
      return PREFIX + value;
    }

    @Override
    public String toString() {
      return "Cleartext[***]";
    }
  }

  record Hashed(String encoded) implements StoredPassword {
    public Hashed {
      PasswordHash.requireKnownScheme(encoded);
    }

    @Override
    public boolean matches(String candidate) {
      return PasswordHash.verify(encoded, candidate);
    }
  }
}
