package net.tinyisp.app.cli;

import java.util.List;
import net.tinyisp.admin.AdminConfig;

/** The {@code --admin ADDR:PORT|off} flag of the per-component commands, and where CLI clients find a running one. */
final class AdminFlag {
  private AdminFlag() {}

  static AdminConfig config(String flag) {
    if (flag == null) return AdminConfig.defaults();
    if (flag.equals("off")) return new AdminConfig(null, false);
    return new AdminConfig(List.of(flag), true);
  }

  /** {@code TINYISP_ADMIN} (ADDR:PORT) or the default loopback listener. */
  static String target() {
    return System.getenv().getOrDefault("TINYISP_ADMIN", "127.0.0.1:" + AdminConfig.DEFAULT_PORT);
  }
}
