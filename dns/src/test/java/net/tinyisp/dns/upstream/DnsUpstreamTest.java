package net.tinyisp.dns.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.tinyisp.dns.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The UDP upstream against a scripted peer on loopback that lies before it tells the truth (RFC 5452): answers
 * with another ID, for another question, or larger than our EDNS size are ignored and counted; the real answer
 * still gets through; silence becomes a TIMEOUT.
 */
@Timeout(30)
class DnsUpstreamTest {
  NettyTransport transport;
  DatagramSocket peer;
  final List<DropReason> drops = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    transport = new NettyTransport(1);
    peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    peer.setSoTimeout(5000);
  }

  @AfterEach
  void tearDown() {
    peer.close();
    transport.close();
  }

  DnsUpstream upstream(int timeoutMs) {
    return new DnsUpstream(transport, new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort()),
        timeoutMs, 1232, drops::add);
  }

  static Message query() throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString("host.example."), Type.A, DClass.IN));
  }

  void send(Message m, DatagramPacket to) throws Exception {
    byte[] w = m.toWire();
    peer.send(new DatagramPacket(w, w.length, to.getSocketAddress()));
  }

  @Test
  void liesAreIgnoredAndCountedAndTheTruthWins() throws Exception {
    var result = upstream(3000).query(query()).toCompletableFuture();
    DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
    peer.receive(p);
    Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    assertThat(q.getOPT().getPayloadSize()).isEqualTo(1232);

    Message wrongId = q.clone();
    wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
    wrongId.getHeader().setFlag(Flags.QR);
    send(wrongId, p);

    Message wrongQuestion = Message.newQuery(Record.newRecord(Name.fromString("other.example."), Type.A, DClass.IN));
    wrongQuestion.getHeader().setID(q.getHeader().getID());
    wrongQuestion.getHeader().setFlag(Flags.QR);
    send(wrongQuestion, p);

    Message oversized = q.clone();
    oversized.getHeader().setFlag(Flags.QR);
    for (int i = 0; i < 20; i++) {
      oversized.addRecord(new TXTRecord(Name.fromString("host.example."), DClass.IN, 60, "y".repeat(100)),
          Section.ANSWER);
    }
    send(oversized, p);

    Message truth = q.clone();
    truth.getHeader().setFlag(Flags.QR);
    truth.addRecord(new ARecord(Name.fromString("host.example."), DClass.IN, 60,
        InetAddress.getByName("198.51.100.7")), Section.ANSWER);
    send(truth, p);

    Message got = result.get(5, TimeUnit.SECONDS);
    assertThat(got.getSection(Section.ANSWER)).hasSize(1);
    assertThat(drops).containsExactly(DropReason.UPSTREAM_WRONG_ID, DropReason.UPSTREAM_WRONG_QUESTION,
        DropReason.UPSTREAM_OVERSIZED);
  }

  @Test
  void silenceIsATimeout() throws Exception {
    var result = upstream(300).query(query()).toCompletableFuture();
    assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(UpstreamException.class)
        .satisfies(e -> assertThat(((UpstreamException) e).reason()).isEqualTo(UpstreamException.Reason.TIMEOUT));
  }

  @Test
  void idsAndSourcePortsVary() throws Exception {
    DnsUpstream u = upstream(200);
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    java.util.Set<Integer> ports = new java.util.HashSet<>();
    for (int i = 0; i < 5; i++) {
      u.query(query());
      DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
      peer.receive(p);
      ids.add(new Message(java.util.Arrays.copyOf(p.getData(), p.getLength())).getHeader().getID());
      ports.add(p.getPort());
    }
    assertThat(ids.size()).isGreaterThan(3);
    assertThat(ports.size()).isGreaterThan(3);
  }
}
