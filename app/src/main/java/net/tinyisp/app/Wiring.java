package net.tinyisp.app;

import java.util.function.Supplier;
import net.tinyisp.admin.AdminServer;
import net.tinyisp.common.lifecycle.ServiceGroup;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.Dns64Service;

/**
 * Builds the running system from one config: every configured component, then the admin listener, which reports
 * on all of them. Components are created here and nowhere else, so a config is all it takes to reproduce a setup.
 */
public final class Wiring {
  private Wiring() {}

  public record Running(ServiceGroup services, Metrics metrics, AdminServer admin) implements AutoCloseable {
    @Override
    public void close() {
      services.close();
    }
  }

  public static Running build(TinyispConfig config) {
    Metrics metrics = new Metrics();
    ServiceGroup group = new ServiceGroup();
    if (config.dns64() != null) {
      group.add(new Dns64Service(config.dns64(), metrics));
    }
    AdminServer admin = null;
    if (config.admin().enabled()) {
      Supplier<java.util.Map<String, net.tinyisp.common.lifecycle.Service.Health>> health = group::health;
      admin = new AdminServer(config.admin(), metrics, health);
      group.add(admin);
    }
    return new Running(group, metrics, admin);
  }
}
