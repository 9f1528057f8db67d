package net.tinyisp.pppoe.session;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import net.tinyisp.ppp.link.PppLink;
import net.tinyisp.pppoe.wire.MacAddress;

/** The sessions of one access concentrator, by SESSION_ID (RFC 2516: unique per AC MAC, with the client's MAC). */
final class SessionTable {
  record Session(int id, MacAddress client, PppLink link, long openedAt) {}

  private final Map<Integer, Session> byId = new HashMap<>();

  void put(Session s) {
    byId.put(s.id(), s);
  }

  Session get(int id) {
    return byId.get(id);
  }

  Session remove(int id) {
    return byId.remove(id);
  }

  int size() {
    return byId.size();
  }

  Collection<Session> all() {
    return byId.values();
  }
}
