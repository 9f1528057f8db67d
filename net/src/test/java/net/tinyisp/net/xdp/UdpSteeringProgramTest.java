package net.tinyisp.net.xdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpSteeringProgramTest {
  static final int MAP = 7;
  static final List<InetSocketAddress> SERVICE =
      List.of(new InetSocketAddress("198.18.0.2", 53), new InetSocketAddress("fd00:18::2", 5353));
  static final long PASS = UdpSteeringProgram.XDP_PASS;

  static long run(List<InetSocketAddress> dests, byte[] frame) {
    return BpfSubset.run(UdpSteeringProgram.instructions(dests, MAP), frame, MAP, 3);
  }

  /** Ethernet + IPv4 (no options) + UDP with a 17-byte DNS query. */
  static byte[] udp4(String dst, int port, int protocol, int fragment, int versionIhl) {
    ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 17);
    b.position(12);
    b.putShort((short) 0x0800);
    b.put((byte) versionIhl).put((byte) 0).putShort((short) 45).putShort((short) 1).putShort((short) fragment);
    b.put((byte) 64).put((byte) protocol).putShort((short) 0);
    b.put(new byte[] {(byte) 198, 18, 0, 1});
    b.put(addr(dst));
    b.putShort((short) 40000).putShort((short) port).putShort((short) 25).putShort((short) 0);
    return b.array();
  }

  static byte[] udp6(String dst, int port, int nextHeader) {
    ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8 + 17);
    b.position(12);
    b.putShort((short) 0x86dd);
    b.putInt(0x60000000).putShort((short) 25).put((byte) nextHeader).put((byte) 64);
    b.put(addr("fd00:18::1"));
    b.put(addr(dst));
    b.putShort((short) 40000).putShort((short) port).putShort((short) 25).putShort((short) 0);
    return b.array();
  }

  static byte[] addr(String a) {
    try {
      return java.net.InetAddress.getByName(a).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void redirectsUdpToAServiceAddressAndPort() {
    assertThat(run(SERVICE, udp4("198.18.0.2", 53, 17, 0, 0x45))).isEqualTo(BpfSubset.REDIRECT);
    assertThat(run(SERVICE, udp6("fd00:18::2", 5353, 17))).isEqualTo(BpfSubset.REDIRECT);
  }

  @Test
  void passesEverythingElseToTheKernel() {
    assertThat(run(SERVICE, udp4("198.18.0.3", 53, 17, 0, 0x45))).as("other address").isEqualTo(PASS);
    assertThat(run(SERVICE, udp4("198.18.0.2", 54, 17, 0, 0x45))).as("other port").isEqualTo(PASS);
    assertThat(run(SERVICE, udp4("198.18.0.2", 53, 6, 0, 0x45))).as("TCP").isEqualTo(PASS);
    assertThat(run(SERVICE, udp4("198.18.0.2", 53, 17, 0x2000, 0x45))).as("first fragment (MF)").isEqualTo(PASS);
    assertThat(run(SERVICE, udp4("198.18.0.2", 53, 17, 0x0010, 0x45))).as("later fragment").isEqualTo(PASS);
    assertThat(run(SERVICE, udp4("198.18.0.2", 53, 17, 0x4000, 0x45))).as("DF only is fine")
        .isEqualTo(BpfSubset.REDIRECT);
    assertThat(run(SERVICE, udp4("198.18.0.2", 53, 17, 0, 0x46))).as("IPv4 options").isEqualTo(PASS);
    assertThat(run(SERVICE, udp6("fd00:18::2", 53, 17))).as("IPv6, port of the IPv4 address").isEqualTo(PASS);
    assertThat(run(SERVICE, udp6("fd00:18::3", 5353, 17))).as("other IPv6 address").isEqualTo(PASS);
    assertThat(run(SERVICE, udp6("fd00:18::2", 5353, 44))).as("IPv6 fragment header").isEqualTo(PASS);
    byte[] arp = new byte[60];
    arp[12] = 0x08;
    arp[13] = 0x06;
    assertThat(run(SERVICE, arp)).as("ARP").isEqualTo(PASS);
    assertThat(run(SERVICE, new byte[20])).as("runt").isEqualTo(PASS);
    byte[] shortV6 = java.util.Arrays.copyOf(udp6("fd00:18::2", 5353, 17), 14 + 40 + 4);
    assertThat(run(SERVICE, shortV6)).as("IPv6 cut inside the UDP header").isEqualTo(PASS);
  }

  @Test
  void aWildcardMatchesAnyAddressOfItsFamily() {
    List<InetSocketAddress> any4 = List.of(new InetSocketAddress("0.0.0.0", 53));
    assertThat(run(any4, udp4("203.0.113.9", 53, 17, 0, 0x45))).isEqualTo(BpfSubset.REDIRECT);
    assertThat(run(any4, udp6("fd00:18::2", 53, 17))).as("no IPv6 destination").isEqualTo(PASS);
    List<InetSocketAddress> any6 = List.of(new InetSocketAddress("::", 53));
    assertThat(run(any6, udp6("2001:db8::1", 53, 17))).isEqualTo(BpfSubset.REDIRECT);
    assertThat(run(any6, udp4("198.18.0.2", 53, 17, 0, 0x45))).isEqualTo(PASS);
  }

  @Test
  void addressesWithTheTopBitSetCompareAs32BitWords() {
    List<InetSocketAddress> high = List.of(new InetSocketAddress("203.0.113.200", 53));
    assertThat(run(high, udp4("203.0.113.200", 53, 17, 0, 0x45))).isEqualTo(BpfSubset.REDIRECT);
    assertThat(run(high, udp4("203.0.113.201", 53, 17, 0, 0x45))).isEqualTo(PASS);
  }

  @Test
  void constantsAreInTheByteOrderOfLittleEndianLoads() {
    assertThat(UdpSteeringProgram.le16(0x0800)).isEqualTo(0x0008);
    assertThat(UdpSteeringProgram.le16(53)).isEqualTo(0x3500);
    assertThat(UdpSteeringProgram.le32(new byte[] {(byte) 198, 18, 0, 2}, 0)).isEqualTo(0x020012c6);
  }

  @Test
  void needsADestination() {
    assertThatThrownBy(() -> UdpSteeringProgram.instructions(List.of(), MAP))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
