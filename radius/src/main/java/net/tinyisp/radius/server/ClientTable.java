package net.tinyisp.radius.server;

import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;

/** Finds the client of a source address: the most specific matching prefix wins, like FreeRADIUS's client list. */
public final class ClientTable {
  private final List<NasClient> byLongestPrefix;

  public ClientTable(List<NasClient> clients) {
    this.byLongestPrefix = clients.stream()
        .sorted(Comparator.comparingInt((NasClient c) -> c.prefix().length()).reversed()).toList();
  }

  /** null for an unknown source. IPv4-mapped IPv6 sources are looked up as IPv4. */
  public NasClient find(InetAddress source) {
    byte[] a = source.getAddress();
    if (a.length == 16 && isV4Mapped(a)) a = java.util.Arrays.copyOfRange(a, 12, 16);
    for (NasClient c : byLongestPrefix) if (c.prefix().contains(a)) return c;
    return null;
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  public List<NasClient> clients() {
    return byLongestPrefix;
  }
}
