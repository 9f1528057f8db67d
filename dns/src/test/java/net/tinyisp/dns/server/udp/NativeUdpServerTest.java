package net.tinyisp.dns.server.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.tinyisp.dns.server.QueryContext;
import net.tinyisp.dns.server.QueryHandler;
import net.tinyisp.dns.server.Transport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The native recvmmsg/sendmmsg listener against real sockets on loopback, with a scripted handler. */
class NativeUdpServerTest {
  @BeforeAll
  static void linuxOnly() {
    assumeTrue(NativeUdpServer.available(), "native UDP needs Linux x86-64/aarch64");
  }

  /** hit.* answered by answerInto; sync.* by a completed handle(); late.* completed later on another thread;
   * drop.* dropped; big.* a 1400-byte answer. Remembers the client addresses it saw. */
  static final class Scripted implements QueryHandler {
    final List<String> clients = new CopyOnWriteArrayList<>();

    @Override
    public int answerInto(byte[] query, int len, byte[] client, Transport t, int maxUdpSize, byte[] out) {
      Message q = parse(query, len);
      if (!q.getQuestion().getName().toString().startsWith("hit.")) return -1;
      clients.add(InetAddressText.of(client));
      byte[] r = answer(q, 0);
      System.arraycopy(r, 0, out, 0, r.length);
      return r.length;
    }

    @Override
    public CompletionStage<byte[]> handle(byte[] query, QueryContext ctx) {
      Message q = parse(query, query.length);
      String name = q.getQuestion().getName().toString();
      if (name.startsWith("drop.")) return CompletableFuture.completedFuture(null);
      if (name.startsWith("slow.")) { // 30 us of work, so a flood keeps the loop busy
        for (long end = System.nanoTime() + 30_000; System.nanoTime() < end; ) Thread.onSpinWait();
      }
      if (name.startsWith("big.")) return CompletableFuture.completedFuture(answer(q, 80));
      if (name.startsWith("late.")) {
        return CompletableFuture.supplyAsync(() -> answer(q, 1),
            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
      }
      return CompletableFuture.completedFuture(answer(q, 2));
    }

    private static Message parse(byte[] b, int len) {
      try {
        return new Message(java.util.Arrays.copyOf(b, len));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(e);
      }
    }

    private static byte[] answer(Message q, int records) {
      Message r = new Message(q.getHeader().getID());
      r.getHeader().setFlag(Flags.QR);
      r.addRecord(q.getQuestion(), Section.QUESTION);
      for (int i = 0; i < records; i++) {
        r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 60,
            new byte[] {(byte) 198, 51, 100, (byte) i}), Section.ANSWER);
      }
      return r.toWire(65535);
    }
  }

  /** Text of a raw address without a lookup. */
  static final class InetAddressText {
    static String of(byte[] a) {
      try {
        return InetAddress.getByAddress(a).getHostAddress();
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }
  }

  private static Message ask(DatagramSocket c, InetSocketAddress server, String name) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    byte[] b = q.toWire();
    c.send(new DatagramPacket(b, b.length, server));
    byte[] buf = new byte[4096];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    c.receive(p);
    Message r = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
    assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
    return r;
  }

  @Test
  void answersFromTheFastPathTheHandlerAndLateCompletions() throws Exception {
    Scripted h = new Scripted();
    try (NativeUdpServer s = NativeUdpServer.bind(new InetSocketAddress("127.0.0.1", 0), 2, h, 1232, d -> {});
         DatagramSocket c = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      c.setSoTimeout(2000);
      assertThat(s.address().getPort()).isPositive();
      assertThat(ask(c, s.address(), "hit.example.").getSection(Section.ANSWER)).isEmpty();
      assertThat(h.clients).containsExactly("127.0.0.1");
      assertThat(ask(c, s.address(), "sync.example.").getSection(Section.ANSWER)).hasSize(2);
      assertThat(ask(c, s.address(), "late.example.").getSection(Section.ANSWER)).hasSize(1);
    }
  }

  /**
   * With busy polling on, a flood that keeps the loop busy (30 us per query, so it spins between rounds) is answered
   * whole, the polling time is counted, and stop still works.
   */
  @Test
  void busyPollingLoopAnswersAFloodAndStops() throws Exception {
    NativeUdpServer s = NativeUdpServer.bind(new InetSocketAddress("127.0.0.1", 0), 1, new Scripted(), 1232,
        50_000, d -> {});
    try (DatagramSocket c = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      c.setSoTimeout(2000);
      c.setReceiveBufferSize(4 << 20);
      byte[] q = Message.newQuery(Record.newRecord(Name.fromString("slow.example."), Type.AAAA, DClass.IN)).toWire();
      byte[] buf = new byte[4096];
      int answered = 0;
      for (int round = 0; round < 200; round++) { // rounds of 64 queries in flight
        for (int i = 0; i < 64; i++) c.send(new DatagramPacket(q, q.length, s.address()));
        for (int i = 0; i < 64; i++) {
          c.receive(new DatagramPacket(buf, buf.length));
          answered++;
        }
      }
      assertThat(answered).isEqualTo(200 * 64);
      assertThat(s.busyPollSeconds()).isPositive();
    } finally {
      long t = System.nanoTime();
      s.close();
      assertThat((System.nanoTime() - t) / 1_000_000).isLessThan(2_000);
    }
  }

  @Test
  void oversizedAnswerIsTruncatedForAClientWithoutEdns() throws Exception {
    try (NativeUdpServer s = NativeUdpServer.bind(new InetSocketAddress("127.0.0.1", 0), 1, new Scripted(), 1232, d -> {});
         DatagramSocket c = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      c.setSoTimeout(2000);
      Message r = ask(c, s.address(), "big.example.");
      assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(r.toWire().length).isLessThanOrEqualTo(512);
    }
  }

  @Test
  void droppedQueryGetsNoAnswer() throws Exception {
    try (NativeUdpServer s = NativeUdpServer.bind(new InetSocketAddress("127.0.0.1", 0), 1, new Scripted(), 1232, d -> {});
         DatagramSocket c = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      c.setSoTimeout(300);
      assertThatThrownBy(() -> ask(c, s.address(), "drop.example.")).isInstanceOf(SocketTimeoutException.class);
      c.setSoTimeout(2000);
      assertThat(ask(c, s.address(), "sync.example.").getSection(Section.ANSWER)).hasSize(2);
    }
  }

  @Test
  void servesIpv6Clients() throws Exception {
    Scripted h = new Scripted();
    InetSocketAddress v6 = new InetSocketAddress("::1", 0);
    try (DatagramSocket probe = new DatagramSocket(v6)) {
      probe.close();
    } catch (java.net.SocketException e) {
      assumeTrue(false, "no IPv6 loopback here");
    }
    try (NativeUdpServer s = NativeUdpServer.bind(v6, 1, h, 1232, d -> {});
         DatagramSocket c = new DatagramSocket(new InetSocketAddress("::1", 0))) {
      c.setSoTimeout(2000);
      ask(c, s.address(), "hit.example.");
      assertThat(h.clients).containsExactly("0:0:0:0:0:0:0:1");
    }
  }

  @Test
  void closeStopsTheLoopsAndFreesThePort() throws Exception {
    NativeUdpServer s = NativeUdpServer.bind(new InetSocketAddress("127.0.0.1", 0), 2, new Scripted(), 1232, d -> {});
    InetSocketAddress a = s.address();
    long t0 = System.nanoTime();
    s.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1500);
    assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
        .noneMatch(n -> n.equals("tinyisp-dns-udp-" + a.getPort() + "-0"));
    try (DatagramSocket again = new DatagramSocket(a)) {
      assertThat(again.getLocalPort()).isEqualTo(a.getPort());
    }
  }

  @Test
  void aPortInUseFailsAtBind() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
      assertThatThrownBy(() -> NativeUdpServer.bind(a, 1, new Scripted(), 1232, d -> {})).hasMessageContaining("in use");
    }
  }
}
