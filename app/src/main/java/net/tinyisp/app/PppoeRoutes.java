package net.tinyisp.app;

import java.util.Map;
import net.tinyisp.admin.AdminResponse;
import net.tinyisp.admin.AdminServer;
import net.tinyisp.ppp.link.TerminateCause;
import net.tinyisp.pppoe.io.PppoeService;

/** The access concentrator's admin API: the session table and terminate (accel-cmd's show sessions / terminate). */
final class PppoeRoutes {
  private PppoeRoutes() {}

  static void register(AdminServer admin, PppoeService pppoe) {
    admin.route("GET", "/api/pppoe/sessions", r -> AdminResponse.json(Map.of("sessions", pppoe.sessions())));
    admin.route("POST", "/api/pppoe/terminate", r -> {
      String user = r.param("user");
      String session = r.param("session");
      if (user == null && session == null) throw new IllegalArgumentException("give ?user=NAME or ?session=ID");
      Integer id = session == null ? null : Integer.valueOf(session);
      int n = pppoe.terminate(user, id, TerminateCause.ADMIN_RESET);
      return AdminResponse.json(n == 0 ? 404 : 200, Map.of("terminated", n));
    });
  }
}
