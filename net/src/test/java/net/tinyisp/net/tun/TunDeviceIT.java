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
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.header.Icmpv6Header;
import net.tinyisp.net.header.Ipv6Header;
import net.tinyisp.net.header.TcpHeader;
import net.tinyisp.net.header.UdpHeader;
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
  void packetLoopServesQueuesOnPlatformThreadsAndStopsOnClose() throws Exception {
    TunDevice tun = ns.call(() -> TunDevice.open(new TunConfig("tun-loop", 2, false, List.of())));
    ns.ip().up("tun-loop", 1500).address("tun-loop", "2001:db8:5::1/64");
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    net.tinyisp.net.NetDropCounters drops = new net.tinyisp.net.NetDropCounters(registry);
    AtomicInteger answered = new AtomicInteger();
    TunPacketLoop loop = new TunPacketLoop(tun, (queue, buf, n) -> {
      if (answerInPlace(buf, n)) {
        queue.write(buf, n);
        answered.incrementAndGet();
      }
    }, 1600, registry, drops);
    try {
      loop.start();
      assertThat(loop.health().healthy()).isTrue();
      List<Process> pings = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pings.add(ping("2001:db8:5::" + (0x20 + i), 5));
      }
      for (Process p : pings) {
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output(p)).isZero();
      }
      assertThat(answered.get()).isEqualTo(3);
      assertThat(registry.get("tinyisp_net_tun_rx_packets").counter().count()).isGreaterThanOrEqualTo(3);
    } finally {
      long t0 = System.nanoTime();
      loop.close();
      assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(3));
    }
    assertThat(loop.health().healthy()).isFalse();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("tun-tun-loop"));
  }

  /** Turns an ICMPv6 echo request into its reply in place; false for any other packet. */
  private static boolean answerInPlace(MemorySegment buf, int n) {
    Ipv6Header ip = new Ipv6Header().wrap(buf, 0);
    if (!ip.valid(n) || !ip.walk(n) || ip.upperProtocol() != 58) {
      return false;
    }
    Icmpv6Header icmp = new Icmpv6Header().wrap(buf, ip.upperOffset());
    if (icmp.type() != Icmpv6Header.ECHO_REQUEST) {
      return false;
    }
    long sh = ip.sourceHigh();
    long sl = ip.sourceLow();
    ip.source(ip.destinationHigh(), ip.destinationLow()).destination(sh, sl);
    int len = ip.upperLength();
    icmp.type(Icmpv6Header.ECHO_REPLY).updateChecksum(ip.pseudoHeaderSum(58, len), len);
    return true;
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

  @Test
  void usoSuperPacketFromUdpSegmentSenderIsReadAndSegmented() throws Exception {
    // UDP GSO (UDP_SEGMENT, Linux 4.18) through a TUN device with USO offloads (TUN_F_USO4/6, Linux 6.2)
    TunConfig config = new TunConfig("tun-uso", 1, true, List.of("csum", "uso4", "uso6"));
    try (TunDevice tun = ns.call(() -> TunDevice.open(config))) {
      ns.ip().up("tun-uso", 1500).address("tun-uso", "2001:db8:4::1/64");
      int segmentSize = 1200;
      int total = 4 * segmentSize + 100;
      long sent = ns.call(() -> sendUdpGso("2001:db8:4::2", 9, segmentSize, total));
      assertThat(sent).isEqualTo(total);
      TunQueue q = tun.queue(0);
      MemorySegment buf = arena.allocate(70_000);
      Ipv6Header ip = new Ipv6Header();
      int n = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline && n < 0) {
        if (q.pollIn(100)) {
          int r = q.read(buf);
          ip.wrap(buf, VirtioNetHeader.LENGTH);
          if (r > VirtioNetHeader.LENGTH && ip.version() == 6 && ip.walk(r - VirtioNetHeader.LENGTH)
              && ip.upperProtocol() == InternetChecksum.PROTO_UDP) {
            n = r;
          }
        }
      }
      assertThat(n).as("the UDP super-packet").isEqualTo(VirtioNetHeader.LENGTH + 40 + 8 + total);
      VirtioNetHeader vh = VirtioNetHeader.read(buf, 0);
      System.out.printf("USO read: %d bytes, %s%n", n - VirtioNetHeader.LENGTH, vh);
      assertThat(vh.gsoKind()).isEqualTo(VirtioNetHeader.GSO_UDP_L4);
      assertThat(vh.gsoSize()).isEqualTo(segmentSize);
      List<Integer> lengths = new ArrayList<>();
      int count = new GsoSegmenter().process(buf, n, arena.allocate(1500), (seg, len) -> {
        Ipv6Header sip = new Ipv6Header().wrap(seg, 0);
        UdpHeader u = new UdpHeader().wrap(seg, 40);
        assertThat(u.checksumValid(sip.pseudoHeaderSum(17, u.length()))).isTrue();
        lengths.add(u.length() - 8);
      });
      assertThat(count).isEqualTo(5);
      assertThat(lengths).containsExactly(1200, 1200, 1200, 1200, 100);
    }
  }

  /** One sendto of {@code total} bytes with UDP_SEGMENT set: the stack builds a single GSO super-packet. */
  private static long sendUdpGso(String address, int port, int segmentSize, int total) throws Exception {
    int fd = Libc.socket(Libc.AF_INET6, Libc.SOCK_DGRAM, 0);
    assertThat(fd).isNotNegative();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment size = a.allocateFrom(ValueLayout.JAVA_INT, segmentSize);
      // SOL_UDP = 17, UDP_SEGMENT = 103 (linux/udp.h)
      assertThat(Libc.setsockopt(fd, 17, 103, size, 4)).isZero();
      MemorySegment sin6 = a.allocate(28, 4);
      sin6.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET6);
      sin6.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 2, (short) port);
      byte[] addr = java.net.InetAddress.getByName(address).getAddress();
      MemorySegment.copy(addr, 0, sin6, ValueLayout.JAVA_BYTE, 8, 16);
      assertThat(Libc.connect(fd, sin6, 28)).isZero();
      MemorySegment data = a.allocate(total);
      return Libc.send(fd, data, total, 0);
    } finally {
      Libc.close(fd);
    }
  }

  @Test
  void tsoSuperPacketWrittenWithVirtioHeaderReachesALocalTcpSocket() throws Exception {
    // The write direction NAT64 uses: one super-packet with GSO_TCPV6 and a partial checksum; the kernel segments
    // (or, delivering locally, accepts it whole) and the listening socket reads every byte in order.
    TunConfig config = new TunConfig("tun-tsow", 1, true, List.of("csum", "tso4", "tso6"));
    try (TunDevice tun = ns.call(() -> TunDevice.open(config));
        java.net.ServerSocket server = ns.call(() -> {
          ns.ip().up("tun-tsow", 1500).address("tun-tsow", "2001:db8:6::1/64");
          return new java.net.ServerSocket(5002, 1, java.net.InetAddress.getByName("2001:db8:6::1"));
        })) {
      int payload = 5000;
      java.util.concurrent.CompletableFuture<byte[]> received = new java.util.concurrent.CompletableFuture<>();
      Thread.ofPlatform().daemon().start(() -> {
        try (Socket s = server.accept()) {
          s.setSoTimeout(10_000);
          received.complete(s.getInputStream().readNBytes(payload));
        } catch (IOException e) {
          received.completeExceptionally(e);
        }
      });
      TunQueue q = tun.queue(0);
      MemorySegment pkt = arena.allocate(VirtioNetHeader.LENGTH + 60 + payload);
      long p = VirtioNetHeader.LENGTH;
      Ipv6Header ip = new Ipv6Header();
      TcpHeader tcp = new TcpHeader();
      long local = 0x20010db800060000L;
      // a fresh port and ISN per run: a connection left in TIME_WAIT by an earlier run would answer a challenge ACK
      java.util.SplittableRandom rnd = new java.util.SplittableRandom();
      int port = rnd.nextInt(20000, 60000);
      int seq = rnd.nextInt();
      // SYN from 2001:db8:6::2 (beyond the TUN) to the listening socket, repeated each second like a real TCP
      // until the SYN-ACK shows up (a loaded machine may lose the first one)
      int serverSeq = 0;
      MemorySegment buf = arena.allocate(2048);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      long nextSyn = 0;
      boolean synAck = false;
      List<String> seen = new ArrayList<>();
      while (!synAck && System.nanoTime() < deadline) {
        if (System.nanoTime() - nextSyn >= 0) {
          writeTcp(q, pkt, local, 2, 1, port, seq, 0, TcpHeader.SYN, 0);
          nextSyn = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        }
        if (!q.pollIn(100)) {
          continue;
        }
        int n = q.read(buf);
        ip.wrap(buf, p);
        if (n > p && ip.version() == 6 && ip.walk(n - p)) {
          seen.add("next header " + ip.upperProtocol());
          if (ip.upperProtocol() == 6) {
            tcp.wrap(buf, ip.upperOffset());
            seen.add(String.format("tcp %d->%d flags 0x%02x", tcp.sourcePort(), tcp.destinationPort(),
                tcp.flags()));
            if (tcp.has(TcpHeader.SYN) && tcp.has(TcpHeader.ACK) && tcp.acknowledgmentNumber() == seq + 1) {
              serverSeq = tcp.sequenceNumber();
              synAck = true;
            }
          }
        }
      }
      assertThat(synAck).as("SYN-ACK from the local socket; read %s", seen).isTrue();
      writeTcp(q, pkt, local, 2, 1, port, seq + 1, serverSeq + 1, TcpHeader.ACK, 0);
      writeTcp(q, pkt, local, 2, 1, port, seq + 1, serverSeq + 1, TcpHeader.ACK | TcpHeader.PSH, payload);
      byte[] got = received.get(10, TimeUnit.SECONDS);
      assertThat(got).hasSize(payload);
      for (int i = 0; i < payload; i++) {
        assertThat(got[i]).isEqualTo(SuperPackets.payloadByte(i));
      }
    }
  }

  /**
   * Writes one TCP packet from [prefix::src]:port to [prefix::dst]:5002. With payload above 1000 bytes it is a
   * GSO_TCPV6 super-packet of 1000-byte segments whose checksum the kernel finishes (preparePartial).
   */
  private static void writeTcp(TunQueue q, MemorySegment pkt, long prefix, int src, int dst, int port, int seq,
      int ack, int flags, int payload) throws Exception {
    long p = VirtioNetHeader.LENGTH;
    VirtioNetHeader.clear(pkt, 0);
    Ipv6Header ip = new Ipv6Header().wrap(pkt, p);
    ip.versionClassLabel(0, 0).payloadLength(20 + payload).nextHeader(6).hopLimit(64).source(prefix, src)
        .destination(prefix, dst);
    TcpHeader t = new TcpHeader().wrap(pkt, p + 40);
    t.sourcePort(port).destinationPort(5002).sequenceNumber(seq).acknowledgmentNumber(ack).headerLength(20)
        .flags(flags).window(65535).urgentPointer(0);
    for (int i = 0; i < payload; i++) {
      pkt.set(ValueLayout.JAVA_BYTE, p + 60 + i, SuperPackets.payloadByte(i));
    }
    long pseudo = ip.pseudoHeaderSum(6, 20 + payload);
    if (payload > 1000) {
      ChecksumOffload.preparePartial(pkt, 0, p, 40, TcpHeader.OFFSET_CHECKSUM, pseudo);
      VirtioNetHeader.gsoType(pkt, 0, VirtioNetHeader.GSO_TCPV6);
      VirtioNetHeader.gsoSize(pkt, 0, 1000);
      VirtioNetHeader.hdrLen(pkt, 0, 60);
    } else {
      t.updateChecksum(pseudo, 20 + payload);
    }
    int len = (int) p + 60 + payload;
    assertThat(q.write(pkt, len)).isEqualTo(len);
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
    int answered = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (answered < expected && System.nanoTime() < deadline) {
      for (TunQueue q : queues) {
        if (!q.pollIn(queues.size() == 1 ? 100 : 20)) {
          continue;
        }
        int n;
        while ((n = q.read(buf)) != TunQueue.WOULD_BLOCK) {
          if (!answerInPlace(buf, n)) {
            continue; // router solicitations, MLD reports from the new interface
          }
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
