package net.tinyisp.net.tun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.tinyisp.net.checksum.InternetChecksum;
import net.tinyisp.net.header.Icmpv6Header;
import net.tinyisp.net.header.Ipv6Header;
import net.tinyisp.net.header.TcpHeader;
import net.tinyisp.net.netns.NetNamespace;
import net.tinyisp.net.testing.RootAssumptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TUN devices in a namespace this test creates: ping answered by our own reader/writer, multi-queue, and a TSO
 * super-packet from a real TCP sender with offloads on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TunDeviceIT {
  private static NetNamespace ns;
  private final Arena arena = Arena.ofAuto();

  @BeforeAll
  static void namespace() throws IOException {
    RootAssumptions.assumeNamespaces();
    ns = NetNamespace.create(RootAssumptions.uniqueName("tinyisp-net-tun"));
  }

  @AfterAll
  static void cleanup() throws IOException {
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void pingIsAnsweredThroughTheTunDevice() throws Exception {
    try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.simple("tun-ping")))) {
      assertThat(tun.name()).isEqualTo("tun-ping");
      assertThat(tun.kernelFlags() & (TunDevice.IFF_TUN | TunDevice.IFF_NO_PI))
          .isEqualTo(TunDevice.IFF_TUN | TunDevice.IFF_NO_PI);
      ns.ip().up("tun-ping", 1500).address("tun-ping", "2001:db8:1::1/64");
      Process ping = ping("2001:db8:1::2", 3);
      int answered = answerEchoRequests(List.of(tun.queue(0)), 1, new AtomicInteger[] {new AtomicInteger()});
      assertThat(answered).isEqualTo(1);
      assertThat(ping.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(ping.exitValue()).as(output(ping)).isZero();
    }
  }

  @Test
  void multiQueueDeviceServesEveryQueue() throws Exception {
    TunConfig config = new TunConfig("tun-mq", 2, false, List.of());
    try (TunDevice tun = ns.call(() -> TunDevice.open(config))) {
      assertThat(tun.queueCount()).isEqualTo(2);
      assertThat(tun.kernelFlags() & TunDevice.IFF_MULTI_QUEUE).isNotZero();
      assertThat(tun.queue(0).fd()).isNotEqualTo(tun.queue(1).fd());
      ns.ip().up("tun-mq", 1500).address("tun-mq", "2001:db8:2::1/64");
      List<Process> pings = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        pings.add(ping("2001:db8:2::" + Integer.toHexString(0x10 + i), 5));
      }
      AtomicInteger[] perQueue = {new AtomicInteger(), new AtomicInteger()};
      int answered = answerEchoRequests(tun.queues(), 8, perQueue);
      assertThat(answered).isEqualTo(8);
      for (Process p : pings) {
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output(p)).isZero();
      }
      System.out.printf("multi-queue: queue0 answered %d, queue1 answered %d%n", perQueue[0].get(),
          perQueue[1].get());
    }
  }

  @Test
  void tsoSuperPacketFromLocalTcpSenderIsReadAndSegmented() throws Exception {
    TunConfig config = new TunConfig("tun-tso", 1, true, List.of("csum", "tso4", "tso6"));
    int mtu = 1500;
    try (TunDevice tun = ns.call(() -> TunDevice.open(config))) {
      ns.ip().up("tun-tso", mtu).address("tun-tso", "2001:db8:3::1/64");
      TunQueue q = tun.queue(0);
      byte[] data = new byte[64 * 1024];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i * 7 + 3);
      }
      // the sender: a plain Java socket on a thread inside the namespace, routed into the TUN device
      Thread sender = ns.start("tso-sender", () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("2001:db8:3::2", 5001), 5000);
          OutputStream out = s.getOutputStream();
          out.write(data);
          out.flush();
          Thread.sleep(3000);
        } catch (IOException | InterruptedException e) {
          // the test thread ends the exchange; a reset or interrupt here is expected
        }
      });
      MemorySegment buf = arena.allocate(70_000);
      MemorySegment reply = arena.allocate(200);
      Ipv6Header ip = new Ipv6Header();
      TcpHeader tcp = new TcpHeader();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      int superLength = -1;
      while (System.nanoTime() < deadline && superLength < 0) {
        if (!q.pollIn(100)) {
          continue;
        }
        int n = q.read(buf);
        if (n <= VirtioNetHeader.LENGTH) {
          continue;
        }
        long pkt = VirtioNetHeader.LENGTH;
        ip.wrap(buf, pkt);
        if (ip.version() != 6 || !ip.walk(n - pkt) || ip.upperProtocol() != InternetChecksum.PROTO_TCP) {
          continue;
        }
        tcp.wrap(buf, ip.upperOffset());
        if (tcp.has(TcpHeader.SYN)) {
          writeSynAck(q, reply, ip, tcp);
        } else if (n - pkt > ip.upperOffset() - pkt + tcp.headerLength()) {
          superLength = n;
        }
      }
      assertThat(superLength).as("a data packet from the TCP sender").isPositive();
      VirtioNetHeader vh = VirtioNetHeader.read(buf, 0);
      System.out.printf("TSO read: %d bytes, %s%n", superLength - VirtioNetHeader.LENGTH, vh);
      assertThat(vh.gsoKind()).isEqualTo(VirtioNetHeader.GSO_TCPV6);
      assertThat(vh.gsoSize()).isEqualTo(1440); // our SYN-ACK advertised MSS 1440 = 1500 - 40 - 20
      assertThat(vh.needsChecksum()).isTrue();
      assertThat(vh.csumStart()).isEqualTo(40);
      assertThat(vh.csumOffset()).isEqualTo(TcpHeader.OFFSET_CHECKSUM);
      assertThat(superLength - VirtioNetHeader.LENGTH).isGreaterThan(mtu);

      // software segmentation yields MTU-sized packets with valid checksums carrying the sent bytes in order
      GsoSegmenter gso = new GsoSegmenter();
      MemorySegment out = arena.allocate(mtu);
      List<byte[]> payloads = new ArrayList<>();
      int count = gso.process(buf, superLength, out, (seg, len) -> {
        Ipv6Header sip = new Ipv6Header().wrap(seg, 0);
        assertThat(len).isLessThanOrEqualTo(mtu);
        assertThat(sip.valid(len) && sip.walk(len)).isTrue();
        TcpHeader st = new TcpHeader().wrap(seg, sip.upperOffset());
        assertThat(st.checksumValid(sip.pseudoHeaderSum(6, sip.upperLength()), sip.upperLength())).isTrue();
        payloads.add(seg.asSlice(st.payloadOffset(), len - st.payloadOffset()).toArray(ValueLayout.JAVA_BYTE));
      });
      assertThat(count).isGreaterThan(1);
      int pos = 0;
      for (byte[] p : payloads) {
        for (byte b : p) {
          assertThat(b).isEqualTo(data[pos++]);
        }
      }
      sender.interrupt();
      sender.join(5000);
    }
  }

  /** SYN-ACK with MSS 1440 and a 64 KiB window, so the sender's first flight is one TSO super-packet. */
  private static void writeSynAck(TunQueue q, MemorySegment reply, Ipv6Header syn, TcpHeader synTcp)
      throws Exception {
    VirtioNetHeader.clear(reply, 0);
    long p = VirtioNetHeader.LENGTH;
    Ipv6Header ip = new Ipv6Header().wrap(reply, p);
    ip.versionClassLabel(0, 0).payloadLength(24).nextHeader(6).hopLimit(64)
        .source(syn.destinationHigh(), syn.destinationLow()).destination(syn.sourceHigh(), syn.sourceLow());
    TcpHeader t = new TcpHeader().wrap(reply, p + 40);
    t.sourcePort(synTcp.destinationPort()).destinationPort(synTcp.sourcePort()).sequenceNumber(1000)
        .acknowledgmentNumber(synTcp.sequenceNumber() + 1).headerLength(24).flags(TcpHeader.SYN | TcpHeader.ACK)
        .window(65535).urgentPointer(0);
    reply.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), p + 60, 0x020405a0);
    t.updateChecksum(ip.pseudoHeaderSum(6, 24), 24);
    assertThat(q.write(reply, (int) p + 64)).isEqualTo((int) p + 64);
  }

  /**
   * Reads from the queues until {@code expected} echo requests were answered (or 15 s): each request is turned
   * into its reply in place (swap addresses, type 129, recompute checksum) and written back on the same queue.
   */
  private int answerEchoRequests(List<TunQueue> queues, int expected, AtomicInteger[] perQueue) throws Exception {
    MemorySegment buf = arena.allocate(2048);
    Ipv6Header ip = new Ipv6Header();
    Icmpv6Header icmp = new Icmpv6Header();
    int answered = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (answered < expected && System.nanoTime() < deadline) {
      for (TunQueue q : queues) {
        if (!q.pollIn(queues.size() == 1 ? 100 : 20)) {
          continue;
        }
        int n;
        while ((n = q.read(buf)) != TunQueue.WOULD_BLOCK) {
          ip.wrap(buf, 0);
          if (!ip.valid(n) || !ip.walk(n) || ip.upperProtocol() != 58) {
            continue;
          }
          icmp.wrap(buf, ip.upperOffset());
          if (icmp.type() != Icmpv6Header.ECHO_REQUEST) {
            continue; // router solicitations, MLD reports from the new interface
          }
          long sh = ip.sourceHigh();
          long sl = ip.sourceLow();
          ip.source(ip.destinationHigh(), ip.destinationLow()).destination(sh, sl);
          int len = ip.upperLength();
          icmp.type(Icmpv6Header.ECHO_REPLY).updateChecksum(ip.pseudoHeaderSum(58, len), len);
          assertThat(q.write(buf, n)).isEqualTo(n);
          perQueue[q.index()].incrementAndGet();
          answered++;
        }
      }
    }
    return answered;
  }

  private static Process ping(String address, int waitSeconds) throws IOException {
    return new ProcessBuilder("ip", "netns", "exec", ns.name(), "ping", "-6", "-n", "-c", "1", "-W",
        Integer.toString(waitSeconds), address).redirectErrorStream(true).start();
  }

  private static String output(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
