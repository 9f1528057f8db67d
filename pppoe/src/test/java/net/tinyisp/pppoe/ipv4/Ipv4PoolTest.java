package net.tinyisp.pppoe.ipv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import net.tinyisp.common.net.IpPrefix;
import org.junit.jupiter.api.Test;

class Ipv4PoolTest {
  static Inet4Address v4(String a) throws Exception {
    return (Inet4Address) InetAddress.getByName(a);
  }

  @Test
  void gatewayIsTheFirstHostAndNetworkAndBroadcastAreNeverGiven() throws Exception {
    Ipv4Pool pool = new Ipv4Pool(IpPrefix.parse("198.51.100.0/29"));
    assertThat(pool.gateway()).isEqualTo(v4("198.51.100.1"));
    assertThat(pool.capacity()).isEqualTo(5);
    for (int host = 2; host <= 6; host++) assertThat(pool.allocate()).isEqualTo(v4("198.51.100." + host));
    assertThat(pool.allocate()).isNull();
    pool.release(v4("198.51.100.4"));
    assertThat(pool.allocate()).isEqualTo(v4("198.51.100.4"));
    pool.release(v4("198.51.100.1")); // the gateway is not released
    pool.release(v4("198.51.100.7")); // nor the broadcast
    assertThat(pool.allocate()).isNull();
  }

  @Test
  void radiusFramedIpAddressIsReservedOnlyInsideThePoolAndOnce() throws Exception {
    Ipv4Pool pool = new Ipv4Pool(IpPrefix.parse("198.51.100.0/24"));
    assertThat(pool.reserve(v4("198.51.100.77"))).isTrue();
    assertThat(pool.reserve(v4("198.51.100.77"))).isFalse();
    assertThat(pool.reserve(v4("203.0.113.5"))).isFalse();
    assertThat(pool.contains(v4("203.0.113.5"))).isFalse();
    assertThat(pool.contains(v4("198.51.100.1"))).isTrue();
    assertThat(pool.reserve(v4("198.51.100.1"))).isFalse(); // the gateway
    assertThat(pool.inUse()).isEqualTo(1);
  }

  @Test
  void refusesIpv6AndTinyPools() {
    assertThatThrownBy(() -> new Ipv4Pool(IpPrefix.parse("2001:db8::/64"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Ipv4Pool(IpPrefix.parse("198.51.100.0/30"))).isInstanceOf(IllegalArgumentException.class);
  }
}
