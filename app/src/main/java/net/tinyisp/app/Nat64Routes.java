package net.tinyisp.app;

import java.util.Map;
import net.tinyisp.admin.AdminResponse;
import net.tinyisp.admin.AdminServer;
import net.tinyisp.nat64.Nat64Service;
import net.tinyisp.nat64.Nat64View;
import net.tinyisp.nat64.config.StaticBibEntry;

/** The NAT64 gateway's admin API: Jool's bib/session/pool4 display and static BIB add/remove. */
final class Nat64Routes {
  private Nat64Routes() {}

  static void register(AdminServer admin, Nat64Service nat64) {
    admin.route("GET", "/api/nat64/bib", r -> AdminResponse.json(Map.of("bib", view(nat64).bib(r.param("protocol")))));
    admin.route("GET", "/api/nat64/sessions", r -> AdminResponse.json(Map.of("sessions", view(nat64).sessions(r.param("protocol")))));
    admin.route("GET", "/api/nat64/pool4", r -> AdminResponse.json(Map.of("pool4", view(nat64).pool4())));
    admin.route("POST", "/api/nat64/bib", r -> {
      StaticBibEntry e = StaticBibEntry.parse(required(r.param("entry")));
      return view(nat64).addStatic(e) ? AdminResponse.json(Map.of("added", e.toString()))
          : AdminResponse.error(409, "either side is already bound: " + e);
    });
    admin.route("DELETE", "/api/nat64/bib", r -> {
      StaticBibEntry e = StaticBibEntry.parse(required(r.param("entry")));
      return view(nat64).removeStatic(e) ? AdminResponse.json(Map.of("removed", e.toString()))
          : AdminResponse.error(404, "no such static binding: " + e);
    });
  }

  private static Nat64View view(Nat64Service nat64) {
    return nat64.view();
  }

  private static String required(String v) {
    if (v == null) throw new IllegalArgumentException("give ?entry=PROTOCOL V6ADDR#PORT V4ADDR#PORT");
    return v;
  }
}
