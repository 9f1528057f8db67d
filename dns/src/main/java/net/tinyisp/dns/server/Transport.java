package net.tinyisp.dns.server;

/** How a query reached us; used for metrics labels and for the size rules of the answer. */
public enum Transport {
  UDP, TCP, DOT, DOH, DOH_JSON;

  public String label() {
    return name().toLowerCase();
  }
}
