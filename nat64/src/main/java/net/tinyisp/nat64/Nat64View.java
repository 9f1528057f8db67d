package net.tinyisp.nat64;

import java.util.List;
import net.tinyisp.nat64.config.StaticBibEntry;

/**
 * The live view and the port-forward commands the admin API and the CLI use (Jool's {@code bib display},
 * {@code session display}, {@code pool4 display}, {@code bib add/remove}). Snapshots: safe to call at any time,
 * cost proportional to the table size.
 */
public interface Nat64View {

  /** One binding: {@code ipv6} and {@code ipv4} as {@code ADDR#PORT} (the ICMP identifier for icmp). */
  record BibRow(String protocol, String ipv6, String ipv4, boolean isStatic, int sessions) {}

  /** One session: the binding's two sides, the IPv4 remote and its IPv6 view, state (TCP), seconds left. */
  record SessionRow(String protocol, String ipv6, String ipv4, String remote4, String remote6, String state,
      long expiresInSeconds) {}

  /** How much of pool4 one protocol uses. */
  record Pool4Use(String protocol, int capacity, int inUse) {}

  List<BibRow> bib(String protocol);

  List<SessionRow> sessions(String protocol);

  List<Pool4Use> pool4();

  /** Adds a static binding (port forward); false when either side is already bound. */
  boolean addStatic(StaticBibEntry entry);

  /** Removes a static binding and its sessions; false when there is none. */
  boolean removeStatic(StaticBibEntry entry);
}
