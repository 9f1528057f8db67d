package net.tinyisp.radius.server;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What the server needs to know about one user.
 *
 * @param cleartext the password in clear, or null when only a hash is stored; CHAP (RFC 1994 via RFC 2865 §5.3)
 *     needs the cleartext, so CHAP for such a user is rejected and counted
 * @param verifyPassword checks a PAP password (the decoded User-Password); for a stored hash it hashes and compares
 * @param replyItems attributes for Access-Accept, by dictionary name and presentation value in dictionary units
 *     (e.g. {@code RP-Upstream-Speed-Limit} -> {@code 5120} kbit/s, {@code Acct-Interim-Interval} -> {@code 300})
 */
public record AuthAccount(String username, boolean enabled, String cleartext, Predicate<String> verifyPassword,
    List<ReplyItem> replyItems) {

  public AuthAccount {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(verifyPassword, "verifyPassword");
    replyItems = List.copyOf(replyItems);
  }

  /** An account whose password is stored in clear: PAP compares it, CHAP can be verified. */
  public static AuthAccount withCleartext(String username, String cleartext, List<ReplyItem> replyItems) {
    return new AuthAccount(username, true, cleartext, cleartext::equals, replyItems);
  }
}
