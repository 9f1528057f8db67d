package net.tinyisp.nat64.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes every golden output of {@link TranslationTest} with {@code tshark -V} and checksum validation on, so the
 * packets are checked by an independent implementation, not only by our own checksum code.
 */
class TsharkCrossCheckTest {
  @TempDir Path dir;

  @Test
  void tsharkDecodesEveryGoldenPacketWithGoodChecksums() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark is not installed (apt-get install tshark)");
    TranslationTest t = new TranslationTest();
    t.udpSixToFourKeepsThePortAndFixesTheChecksum();
    t = new TranslationTest();
    t.udpFourToSixComputesAZeroChecksum();
    t = new TranslationTest();
    t.tcpHandshakeBothWays();
    t = new TranslationTest();
    t.echoBothWaysMapsTheIdentifier();
    t = new TranslationTest();
    t.portUnreachableCarriesTheTranslatedInnerPacket();
    t = new TranslationTest();
    t.fragmentationNeededBecomesPacketTooBig();
    t = new TranslationTest();
    t.timeExceededFromARouterKeepsTheRouterAddress();
    t = new TranslationTest();
    t.packetTooBigFromTheIpv6SideBecomesFragmentationNeeded();
    t = new TranslationTest();
    t.largeIpv4WithoutDfBecomesIpv6Fragments();
    List<byte[]> packets = PcapCheck.all();
    Path pcap = dir.resolve("golden.pcap");
    Files.write(pcap, pcap(packets));
    Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-V", "--disable-protocol", "dns",
        "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE")
        .redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(text).contains("Frame " + packets.size() + ":");
    assertThat(text).doesNotContainIgnoringCase("[Checksum Status: Bad]");
    assertThat(text).doesNotContainIgnoringCase("incorrect");
    assertThat(text).doesNotContain("Malformed");
    assertThat(text).contains("Internet Control Message Protocol v6").contains("Type: Packet Too Big (2)")
        .contains("Code: 4 (Fragmentation needed)").contains("Fragment Header for IPv6")
        .contains("[Checksum Status: Good]");
  }

  /** A classic pcap file with LINKTYPE_RAW (101): each record is one IPv4 or IPv6 packet. */
  static byte[] pcap(List<byte[]> packets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
    out.writeBytes(h.array());
    int i = 0;
    for (byte[] p : packets) {
      ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      r.putInt(1_700_000_000 + i++).putInt(0).putInt(p.length).putInt(p.length);
      out.writeBytes(r.array());
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
