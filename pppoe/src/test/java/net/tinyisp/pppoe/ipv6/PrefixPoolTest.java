package net.tinyisp.pppoe.ipv6;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import net.tinyisp.common.net.IpPrefix;
import org.junit.jupiter.api.Test;

class PrefixPoolTest {
  @Test
  void a40SplitsInto256DistinctSlash48sThenIsExhausted() {
    PrefixPool pool = new PrefixPool(IpPrefix.parse("2001:db8:100::/40"), 48);
    Set<IpPrefix> seen = new HashSet<>();
    for (int i = 0; i < 256; i++) {
      IpPrefix p = pool.allocate();
      assertThat(p.length()).isEqualTo(48);
      assertThat(IpPrefix.parse("2001:db8:100::/40").contains(p.network())).isTrue();
      assertThat(seen.add(p)).isTrue();
    }
    assertThat(seen).contains(IpPrefix.parse("2001:db8:100::/48"), IpPrefix.parse("2001:db8:1ff::/48"));
    assertThat(pool.allocate()).isNull();
    pool.release(IpPrefix.parse("2001:db8:1a0::/48"));
    assertThat(pool.allocate()).isEqualTo(IpPrefix.parse("2001:db8:1a0::/48"));
  }

  @Test
  void radiusAssignedPrefixesAreReservedOnce() {
    PrefixPool pool = new PrefixPool(IpPrefix.parse("2001:db8:1::/48"), 64);
    assertThat(pool.reserve(IpPrefix.parse("2001:db8:1:5::/64"))).isTrue();
    assertThat(pool.reserve(IpPrefix.parse("2001:db8:1:5::/64"))).isFalse();
    assertThat(pool.reserve(IpPrefix.parse("2001:db8:2::/64"))).isFalse();
    assertThat(pool.inUse()).isEqualTo(1);
    assertThat(pool.capacity()).isEqualTo(65536);
  }

  @Test
  void impossibleSplitsAreRefused() {
    assertThatThrownBy(() -> new PrefixPool(IpPrefix.parse("2001:db8::/32"), 64)).hasMessageContaining("2^24");
    assertThatThrownBy(() -> new PrefixPool(IpPrefix.parse("2001:db8::/48"), 40)).hasMessageContaining("cannot be split");
  }
}
