package net.tinyisp.pppoe.ipv6;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Writes raw IPv6 packets into a pcap file (LINKTYPE_IPV6) and decodes it with the real tshark. */
final class Pcap {
  private Pcap() {}

  static boolean tsharkAvailable() {
    return Files.isExecutable(Path.of("/usr/bin/tshark"));
  }

  static String decode(Path dir, List<byte[]> packets) throws IOException, InterruptedException {
    Path file = dir.resolve("packets.pcap");
    ByteBuffer b = ByteBuffer.allocate(24 + packets.stream().mapToInt(p -> 16 + p.length).sum()).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(229);
    for (byte[] p : packets) b.putInt(0).putInt(0).putInt(p.length).putInt(p.length).put(p);
    Files.write(file, b.array());
    Process t = new ProcessBuilder("tshark", "-r", file.toString(), "-V", "-o", "udp.check_checksum:TRUE")
        .redirectErrorStream(true).start();
    String out = new String(t.getInputStream().readAllBytes());
    t.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
