package net.tinyisp.common.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one metrics registry of a running tinyisp. Components receive it at construction (never a static lookup),
 * register their meters under {@code tinyisp_<component>_...}, and the admin listener renders it for Prometheus.
 */
public final class Metrics {
  private final PrometheusMeterRegistry registry;

  public Metrics() {
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }
}
