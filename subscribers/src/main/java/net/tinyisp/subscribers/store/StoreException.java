package net.tinyisp.subscribers.store;

/** The store could not answer (database down, LDAP unreachable) or refused a change (unknown plan, duplicate). */
public class StoreException extends Exception {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
