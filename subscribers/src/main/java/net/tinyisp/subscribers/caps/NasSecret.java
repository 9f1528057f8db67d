package net.tinyisp.subscribers.caps;

import java.util.List;
import java.util.Optional;
import net.tinyisp.common.net.IpPrefix;

/** The shared secret of a NAS (or subnet of NASes) that CoA/Disconnect-Requests to it are signed with. */
public record NasSecret(IpPrefix nas, String secret) {
  public NasSecret {
    if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("a NAS secret must not be empty");
  }

  /** {@code ADDRESS[/LEN]=SECRET}, as {@code --client} takes it. */
  public static NasSecret parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) throw new IllegalArgumentException("'" + text + "': expected ADDRESS=SECRET");
    return new NasSecret(IpPrefix.parse(text.substring(0, eq)), text.substring(eq + 1));
  }

  /** The most specific entry that covers the address. */
  public static Optional<String> lookup(List<NasSecret> table, String nasAddress) {
    IpPrefix a;
    try {
      a = IpPrefix.parse(nasAddress);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    NasSecret best = null;
    for (NasSecret s : table) {
      if (s.nas.isIpv4() == a.isIpv4() && s.nas.contains(a.network())
          && (best == null || s.nas.length() > best.nas.length())) {
        best = s;
      }
    }
    return Optional.ofNullable(best).map(NasSecret::secret);
  }

  @Override
  public String toString() {
    return "NasSecret[" + nas + "=***]";
  }
}
