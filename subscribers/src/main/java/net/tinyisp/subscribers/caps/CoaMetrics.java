package net.tinyisp.subscribers.caps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of caps reached and of CoA/Disconnect answers by kind and result. */
final class CoaMetrics {
  private final MeterRegistry registry;
  private final Counter capped;

  CoaMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.capped = Counter.builder("tinyisp_subscribers_caps_reached")
        .description("subscribers that reached their data cap in a period (counted once per period)")
        .register(registry);
  }

  void capped() {
    capped.increment();
  }

  void answer(String kind, NasCommands.Result result) {
    Counter.builder("tinyisp_subscribers_dynauth_requests")
        .description("RFC 5176 requests sent to a NAS, by kind and answer (ACK, NAK, TIMEOUT, ERROR)")
        .tag("kind", kind).tag("result", result.name().toLowerCase(java.util.Locale.ROOT))
        .register(registry).increment();
  }
}
