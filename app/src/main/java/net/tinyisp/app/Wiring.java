package net.tinyisp.app;

import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;
import net.tinyisp.admin.AdminServer;
import net.tinyisp.common.lifecycle.Service;
import net.tinyisp.common.lifecycle.ServiceGroup;
import net.tinyisp.common.metrics.Metrics;
import net.tinyisp.dns.Dns64Service;
import net.tinyisp.dns.proxy.DohProxyService;
import net.tinyisp.dns.tls.EncryptedDnsService;
import net.tinyisp.nat64.Nat64Service;
import net.tinyisp.pppoe.io.PppoeService;

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

  public static Running build(TinyispConfig config) throws IOException {
    Metrics metrics = new Metrics();
    ServiceGroup group = new ServiceGroup();
    if (config.dns64() != null) {
      Dns64Service dns64 = new Dns64Service(config.dns64(), metrics);
      group.add(dns64);
      if (config.encryptedDns() != null) {
        // the DoT/DoH listeners answer through the resolver's handler, which exists once it has started
        group.add(new AfterStart("encrypted-dns",
            () -> new EncryptedDnsService(config.encryptedDns(), dns64.queryHandler(), metrics)));
      }
    }
    if (config.dohProxy() != null) {
      group.add(new DohProxyService(config.dohProxy(), metrics));
    }
    Nat64Service nat64 = null;
    if (config.nat64() != null) {
      nat64 = new Nat64Service(config.nat64(), metrics);
      group.add(nat64);
    }
    PppoeService pppoe = null;
    if (config.pppoe() != null) {
      pppoe = PppoeService.withRadius(config.pppoe(), metrics);
      group.add(pppoe);
    }
    AdminServer admin = null;
    if (config.admin().enabled()) {
      Supplier<Map<String, Service.Health>> health = group::health;
      admin = new AdminServer(config.admin(), metrics, health);
      if (pppoe != null) PppoeRoutes.register(admin, pppoe);
      if (nat64 != null) Nat64Routes.register(admin, nat64);
      group.add(admin);
    }
    return new Running(group, metrics, admin);
  }

  /** A service that can only be built once an earlier one has started (it needs that one's live objects). */
  private static final class AfterStart implements Service {
    private final String name;
    private final Supplier<Service> factory;
    private Service delegate;

    AfterStart(String name, Supplier<Service> factory) {
      this.name = name;
      this.factory = factory;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void start() throws Exception {
      delegate = factory.get();
      delegate.start();
    }

    @Override
    public Health health() {
      return delegate == null ? Health.down("not started") : delegate.health();
    }

    @Override
    public void close() {
      if (delegate != null) delegate.close();
    }
  }
}
