package net.tinyisp.dns.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.tinyisp.dns.server.Transport;

/** The meters of the encrypted front ends, registered once per service. */
public final class EncryptedDnsMetrics {
  private final Map<EncryptedDnsDrop, Counter> drops = new EnumMap<>(EncryptedDnsDrop.class);
  private final Map<Transport, Counter> queries = new EnumMap<>(Transport.class);
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter reloads;

  public EncryptedDnsMetrics(MeterRegistry registry) {
    for (EncryptedDnsDrop d : EncryptedDnsDrop.values()) {
      drops.put(d, Counter.builder("tinyisp_dns_encrypted_drops_total").description(d.description())
          .tag("reason", d.label()).register(registry));
    }
    for (Transport t : new Transport[] {Transport.DOT, Transport.DOH, Transport.DOH_JSON}) {
      queries.put(t, Counter.builder("tinyisp_dns_encrypted_queries_total")
          .description("queries received over an encrypted or HTTP front end").tag("transport", t.label())
          .register(registry));
    }
    registry.gauge("tinyisp_dns_encrypted_connections", connections);
    reloads = Counter.builder("tinyisp_dns_encrypted_certificate_reloads_total")
        .description("certificate files changed and a new TLS context was installed").register(registry);
  }

  public void drop(EncryptedDnsDrop reason) {
    drops.get(reason).increment();
  }

  public double dropped(EncryptedDnsDrop reason) {
    return drops.get(reason).count();
  }

  public void query(Transport t) {
    queries.get(t).increment();
  }

  public AtomicInteger connections() {
    return connections;
  }

  public void reloaded() {
    reloads.increment();
  }
}
