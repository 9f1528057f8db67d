package net.tinyisp.radius.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import net.tinyisp.radius.wire.Code;

/** The server's meters, registered once so the hot path only increments. */
final class RadiusMetrics {
  private final Map<DropReason, Counter> drops = new EnumMap<>(DropReason.class);
  private final Map<RejectReason, Counter> rejects = new EnumMap<>(RejectReason.class);
  private final Map<Code, Counter> requests = new EnumMap<>(Code.class);
  private final Map<Code, Counter> responses = new EnumMap<>(Code.class);
  final Counter duplicatesAnswered;
  final Counter accountingRecorded;

  RadiusMetrics(MeterRegistry r) {
    for (DropReason d : DropReason.values()) {
      drops.put(d, Counter.builder("tinyisp_radius_drops").description(d.description()).tag("reason", d.label())
          .register(r));
    }
    for (RejectReason j : RejectReason.values()) {
      rejects.put(j, Counter.builder("tinyisp_radius_rejects").description(j.description())
          .tag("reason", j.label()).register(r));
    }
    for (Code c : Code.values()) {
      requests.put(c, Counter.builder("tinyisp_radius_requests").description("requests received, by code")
          .tag("code", c.text()).register(r));
      responses.put(c, Counter.builder("tinyisp_radius_responses").description("responses sent, by code")
          .tag("code", c.text()).register(r));
    }
    duplicatesAnswered = Counter.builder("tinyisp_radius_duplicates_answered")
        .description("retransmissions answered from the duplicate cache (RFC 5080 §2.2.2)").register(r);
    accountingRecorded = Counter.builder("tinyisp_radius_accounting_recorded")
        .description("accounting requests committed to the sink and answered").register(r);
  }

  void drop(DropReason d) {
    drops.get(d).increment();
  }

  void reject(RejectReason j) {
    rejects.get(j).increment();
  }

  void request(Code c) {
    if (c != null) requests.get(c).increment();
  }

  void response(Code c) {
    responses.get(c).increment();
  }
}
