package net.tinyisp.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.tinyisp.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

class NetDropCountersTest {

  @Test
  void everyReasonIsExposedUnderItsDocumentedName() {
    Metrics metrics = new Metrics();
    NetDropCounters drops = new NetDropCounters(metrics.registry(), "device", "nat64");
    drops.count(NetDropReason.GSO_MALFORMED);
    drops.count(NetDropReason.RING_KERNEL_DROP, 5);
    String text = metrics.scrape();
    Set<String> names = new HashSet<>();
    for (NetDropReason r : NetDropReason.values()) {
      assertThat(r.metricName()).startsWith("tinyisp_net_drop_").endsWith("_total");
      assertThat(names.add(r.metricName())).isTrue();
      assertThat(text).contains("# HELP " + r.metricName());
    }
    assertThat(text).contains("tinyisp_net_drop_gso_malformed_total{device=\"nat64\"} 1.0");
    assertThat(text).contains("tinyisp_net_drop_ring_kernel_total{device=\"nat64\"} 5.0");
    assertThat(drops.value(NetDropReason.RING_KERNEL_DROP)).isEqualTo(5.0);
  }
}
