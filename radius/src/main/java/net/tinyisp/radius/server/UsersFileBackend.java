package net.tinyisp.radius.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.tinyisp.radius.dictionary.Dictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuthBackend} over a FreeRADIUS {@code users} file, read once at start. Entries with a cleartext password
 * authenticate with PAP and CHAP; entries without one, {@code DEFAULT} entries and {@code Fall-Through} are not
 * supported here (the subscriber store is the real backend) and are logged at start.
 */
public final class UsersFileBackend implements AuthBackend {
  private static final Logger log = LoggerFactory.getLogger(UsersFileBackend.class);

  private final Map<String, AuthAccount> accounts;

  public UsersFileBackend(UsersFile file) {
    Map<String, AuthAccount> m = new HashMap<>();
    for (UsersFile.Entry e : file.entries()) {
      if (e.username().equals("DEFAULT")) {
        log.warn("users file line {}: DEFAULT entries are not supported, ignored", e.line());
        continue;
      }
      String pw = e.cleartextPassword();
      if (pw == null && !e.rejected()) {
        log.warn("users file line {}: {} has no Cleartext-Password, ignored", e.line(), e.username());
        continue;
      }
      // FreeRADIUS uses the first matching entry
      m.putIfAbsent(e.username(), new AuthAccount(e.username(), !e.rejected(), pw,
          p -> pw != null && java.security.MessageDigest.isEqual(p.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              pw.getBytes(java.nio.charset.StandardCharsets.UTF_8)), e.replyItems()));
    }
    this.accounts = Map.copyOf(m);
  }

  public static UsersFileBackend load(Path file, Dictionary dictionary) {
    return new UsersFileBackend(UsersFile.parse(file, dictionary));
  }

  @Override
  public Optional<AuthAccount> find(String username) {
    return Optional.ofNullable(accounts.get(username));
  }

  @Override
  public boolean mayBlock() {
    return false; // a map lookup
  }

  public int size() {
    return accounts.size();
  }
}
