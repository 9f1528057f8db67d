package net.tinyisp.dns.doh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** HAProxy proxy-protocol.txt §2.2: the binary header. */
class ProxyV2HeaderTest {
  static byte[] header(int verCmd, int famProto, byte[] addresses, byte[] tlvs) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(ProxyV2Header.SIGNATURE);
    b.write(verCmd);
    b.write(famProto);
    int len = addresses.length + tlvs.length;
    b.write(len >> 8);
    b.write(len);
    b.writeBytes(addresses);
    b.writeBytes(tlvs);
    return b.toByteArray();
  }

  static byte[] v6Block() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(InetAddress.getByName("2001:db8::5").getAddress());
    b.writeBytes(InetAddress.getByName("2001:db8::1").getAddress());
    b.write(0x30);
    b.write(0x39); // 12345
    b.write(0x01);
    b.write(0xbb);
    return b.toByteArray();
  }

  @Test
  void tcp6ProxyWithTlvs() throws Exception {
    byte[] h = header(0x21, 0x21, v6Block(), new byte[] {0x04, 0, 1, 0x55}); // a PP2_TYPE_NOOP TLV
    byte[] withData = java.util.Arrays.copyOf(h, h.length + 3);
    var r = ProxyV2Header.parse(withData, withData.length);
    assertThat(r).isEqualTo(new ProxyV2Header.Parsed(
        new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 12345), h.length));
  }

  @Test
  void tcp4AndLocal() throws Exception {
    byte[] v4 = {(byte) 203, 0, 113, 9, 127, 0, 0, 1, (byte) 0x9c, 0x40, 0x1f, (byte) 0x90};
    var r = (ProxyV2Header.Parsed) ProxyV2Header.parse(header(0x21, 0x11, v4, new byte[0]), 28);
    assertThat(r.source()).isEqualTo(new InetSocketAddress(InetAddress.getByName("203.0.113.9"), 40000));
    var local = (ProxyV2Header.Parsed) ProxyV2Header.parse(header(0x20, 0x00, new byte[0], new byte[0]), 16);
    assertThat(local.source()).isNull();
    assertThat(local.length()).isEqualTo(16);
  }

  @Test
  void partialPlainAndInvalid() throws Exception {
    byte[] h = header(0x21, 0x21, v6Block(), new byte[0]);
    assertThat(ProxyV2Header.parse(h, 10)).isInstanceOf(ProxyV2Header.NeedMore.class);
    assertThat(ProxyV2Header.parse(h, 20)).isInstanceOf(ProxyV2Header.NeedMore.class);
    byte[] get = "GET / HTTP/1.1\r\n".getBytes();
    assertThat(ProxyV2Header.parse(get, get.length)).isInstanceOf(ProxyV2Header.NotProxy.class);
    assertThat(ProxyV2Header.parse(header(0x11, 0x21, v6Block(), new byte[0]), 52))
        .isInstanceOf(ProxyV2Header.Invalid.class); // version 1 in a v2 header
    assertThat(ProxyV2Header.parse(header(0x21, 0x21, new byte[10], new byte[0]), 26))
        .isInstanceOf(ProxyV2Header.Invalid.class); // address block too short for IPv6
    byte[] huge = header(0x21, 0x21, new byte[0], new byte[0]);
    huge[14] = (byte) 0xff;
    assertThat(ProxyV2Header.parse(huge, huge.length)).isInstanceOf(ProxyV2Header.Invalid.class);
  }
}
