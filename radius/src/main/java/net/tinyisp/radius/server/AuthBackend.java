package net.tinyisp.radius.server;

import java.util.Optional;

/**
 * Looks a user up for authentication. The server calls it on a virtual thread, so an implementation may block on
 * JDBC or LDAP. Implementations: {@code UsersFileBackend} here, the subscriber stores in the subscribers module.
 */
public interface AuthBackend {

  /** Empty means an unknown user, answered with Access-Reject. */
  Optional<AuthAccount> find(String username);

  /**
   * False for a backend that answers from memory without blocking (a users file): the server then decides on its
   * receive thread and saves a thread hand-off per request. The default, true, is right for JDBC and LDAP.
   */
  default boolean mayBlock() {
    return true;
  }
}
