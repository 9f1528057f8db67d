package net.tinyisp.dns.server.xdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.tinyisp.net.checksum.InternetChecksum;
import org.junit.jupiter.api.Test;

class UdpFrameTest {
  static final byte[] CLIENT_MAC = {2, 0, 0, 0, 0, 1};
  static final byte[] SERVER_MAC = {2, 0, 0, 0, 0, 2};
  static final byte[] DNS = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1};

  static byte[] ip(String a) throws Exception {
    return InetAddress.getByName(a).getAddress();
  }

  /** A query frame as a client would send it, with a correct IPv4 header checksum. */
  static byte[] query4(byte[] dns) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + dns.length);
    b.put(SERVER_MAC).put(CLIENT_MAC).putShort((short) 0x0800);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + dns.length)).putShort((short) 7).putShort((short) 0);
    b.put((byte) 64).put((byte) 17).putShort((short) 0).put(ip("198.18.0.1")).put(ip("198.18.0.2"));
    b.putShort((short) 40000).putShort((short) 53).putShort((short) (8 + dns.length)).putShort((short) 0);
    b.put(dns);
    byte[] f = b.array();
    int c = InternetChecksum.checksum(f, 14, 20);
    f[24] = (byte) (c >> 8);
    f[25] = (byte) c;
    return f;
  }

  static byte[] query6(byte[] dns) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8 + dns.length);
    b.put(SERVER_MAC).put(CLIENT_MAC).putShort((short) 0x86dd);
    b.putInt(0x60000000).putShort((short) (8 + dns.length)).put((byte) 17).put((byte) 64);
    b.put(ip("fd00:18::1")).put(ip("fd00:18::2"));
    b.putShort((short) 40001).putShort((short) 5353).putShort((short) (8 + dns.length)).putShort((short) 0);
    b.put(dns);
    return b.array();
  }

  static int parse(byte[] f) {
    return UdpFrame.parse(MemorySegment.ofArray(f), 0, f.length);
  }

  /** The reply frame for {@code query} carrying {@code answer}. */
  static byte[] reply(byte[] query, byte[] answer) {
    boolean v6 = UdpFrame.isIpv6(MemorySegment.ofArray(query), 0);
    int h = UdpFrame.headerLength(v6);
    byte[] out = new byte[h + answer.length];
    System.arraycopy(answer, 0, out, h, answer.length);
    int len = UdpFrame.writeReply(MemorySegment.ofArray(query), 0, MemorySegment.ofArray(out), 0, answer.length);
    assertThat(len).isEqualTo(out.length);
    return out;
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
  }

  @Test
  void findsTheDnsPayloadOfIpv4AndIpv6Queries() throws Exception {
    assertThat(parse(query4(DNS))).isEqualTo(DNS.length);
    assertThat(parse(query6(DNS))).isEqualTo(DNS.length);
    assertThat(UdpFrame.headerLength(false)).isEqualTo(42);
    assertThat(UdpFrame.headerLength(true)).isEqualTo(62);
  }

  @Test
  void aFramePaddedPastTheIpLengthUsesTheIpLength() throws Exception {
    byte[] f = Arrays.copyOf(query4(DNS), 14 + 28 + DNS.length + 6); // Ethernet minimum-size padding
    assertThat(parse(f)).isEqualTo(DNS.length);
  }

  @Test
  void ipv4ReplyMirrorsTheQueryWithValidChecksums() throws Exception {
    byte[] q = query4(DNS);
    byte[] answer = new byte[45];
    answer[0] = 0x12;
    byte[] r = reply(q, answer);
    assertThat(Arrays.copyOfRange(r, 0, 6)).isEqualTo(CLIENT_MAC);
    assertThat(Arrays.copyOfRange(r, 6, 12)).isEqualTo(SERVER_MAC);
    assertThat(u16(r, 12)).isEqualTo(0x0800);
    assertThat(r[14]).isEqualTo((byte) 0x45);
    assertThat(u16(r, 16)).as("total length").isEqualTo(20 + 8 + 45);
    assertThat(r[22]).as("TTL").isEqualTo((byte) 64);
    assertThat(r[23]).as("protocol").isEqualTo((byte) 17);
    assertThat(Arrays.copyOfRange(r, 26, 30)).isEqualTo(ip("198.18.0.2"));
    assertThat(Arrays.copyOfRange(r, 30, 34)).isEqualTo(ip("198.18.0.1"));
    assertThat(InternetChecksum.checksum(r, 14, 20)).as("IPv4 header checksum verifies").isZero();
    assertThat(u16(r, 34)).isEqualTo(53);
    assertThat(u16(r, 36)).isEqualTo(40000);
    assertThat(u16(r, 38)).isEqualTo(8 + 45);
    MemorySegment s = MemorySegment.ofArray(r);
    long pseudo = InternetChecksum.pseudoHeaderV4(s, 26, 30, 17, 8 + 45);
    assertThat(InternetChecksum.finish(pseudo + InternetChecksum.sum(s, 34, 8 + 45))).as("UDP checksum").isZero();
    assertThat(u16(r, 40)).isNotZero();
    assertThat(parse(r)).as("the reply parses as a frame itself").isEqualTo(45);
  }

  @Test
  void ipv6ReplyHasTheMandatoryUdpChecksum() throws Exception {
    byte[] q = query6(DNS);
    byte[] answer = Arrays.copyOf(DNS, 33); // odd length: the checksum pads the last byte
    answer[2] = (byte) 0x81;
    byte[] r = reply(q, answer);
    assertThat(u16(r, 12)).isEqualTo(0x86dd);
    assertThat(u16(r, 18)).as("payload length").isEqualTo(8 + 33);
    assertThat(r[20]).isEqualTo((byte) 17);
    assertThat(Arrays.copyOfRange(r, 22, 38)).isEqualTo(ip("fd00:18::2"));
    assertThat(Arrays.copyOfRange(r, 38, 54)).isEqualTo(ip("fd00:18::1"));
    assertThat(u16(r, 54)).isEqualTo(5353);
    assertThat(u16(r, 56)).isEqualTo(40001);
    MemorySegment s = MemorySegment.ofArray(r);
    long pseudo = InternetChecksum.pseudoHeaderV6(s, 22, 38, 17, 8 + 33);
    assertThat(InternetChecksum.finish(pseudo + InternetChecksum.sum(s, 54, 8 + 33))).isZero();
    assertThat(u16(r, 60)).as("never 0 over IPv6").isNotZero();
  }

  @Test
  void theClientAddressIsTheQuerySource() throws Exception {
    byte[] v4 = new byte[4];
    byte[] v6 = new byte[16];
    assertThat(UdpFrame.clientAddress(MemorySegment.ofArray(query4(DNS)), 0, v4, v6)).isSameAs(v4)
        .isEqualTo(ip("198.18.0.1"));
    assertThat(UdpFrame.clientAddress(MemorySegment.ofArray(query6(DNS)), 0, v4, v6)).isSameAs(v6)
        .isEqualTo(ip("fd00:18::1"));
  }

  @Test
  void framesThatDoNotAddUpAreMalformed() throws Exception {
    byte[] good = query4(DNS);
    assertThat(parse(Arrays.copyOf(good, 41))).as("shorter than the headers").isEqualTo(UdpFrame.MALFORMED);
    byte[] badSum = good.clone();
    badSum[24] ^= 1;
    assertThat(parse(badSum)).as("IPv4 header checksum").isEqualTo(UdpFrame.MALFORMED);
    byte[] tooLong = query4(DNS);
    tooLong[16] = 0x7f; // IP total length past the frame
    assertThat(parse(tooLong)).isEqualTo(UdpFrame.MALFORMED);
    byte[] udpTooLong = query4(DNS);
    udpTooLong[38] = 0x7f;
    udpTooLong[24] = udpTooLong[25] = 0;
    int c = InternetChecksum.checksum(udpTooLong, 14, 20);
    udpTooLong[24] = (byte) (c >> 8);
    udpTooLong[25] = (byte) c;
    assertThat(parse(udpTooLong)).as("UDP length past the IP payload").isEqualTo(UdpFrame.MALFORMED);
    byte[] v6 = query6(DNS);
    v6[20] = 6;
    assertThat(parse(v6)).as("IPv6 next header TCP").isEqualTo(UdpFrame.MALFORMED);
    byte[] v6len = query6(DNS);
    v6len[18] = 0x7f;
    assertThat(parse(v6len)).as("IPv6 payload length past the frame").isEqualTo(UdpFrame.MALFORMED);
    byte[] arp = new byte[60];
    arp[12] = 0x08;
    arp[13] = 0x06;
    assertThat(parse(arp)).isEqualTo(UdpFrame.MALFORMED);
  }
}
