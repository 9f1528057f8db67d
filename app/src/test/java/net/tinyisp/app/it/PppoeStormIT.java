package net.tinyisp.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.tinyisp.net.netns.NetNamespace;
import net.tinyisp.net.packet.AfPacketConfig;
import net.tinyisp.net.packet.AfPacketSocket;
import net.tinyisp.pppoe.wire.MacAddress;
import net.tinyisp.pppoe.wire.PppoeFrame;
import net.tinyisp.pppoe.wire.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Abuse from the subscriber side, against the distribution over a veth pair: a storm of PADIs from random MACs
 * (about 20 times the global limit) while 40 load-client sessions are up with an LCP echo every second, then a
 * catalogue of malformed discovery and PPP frames written raw on AF_PACKET by this test. The storm's PADIs are
 * dropped by the rate limits and counted; no established session misses its echoes (none ends Lost-Carrier);
 * every malformed frame is counted under its reason; discovery works again right after.
 */
class PppoeStormIT {
  static final String NS = "tinyisp-pppoe-storm";
  static final int SESSIONS = 40;
  static NamespaceLab lab;
  static NetNamespace ns;
  static Path dir;

  @BeforeAll
  static void lab() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespace, AF_PACKET, TUN)");
    assumeTrue(Files.exists(NamespaceLab.root().resolve("app/target/tinyisp.jar")), "the shaded jar is built in the package phase");
    dir = Files.createTempDirectory("pppoe-storm");
    Files.writeString(dir.resolve("users"), NamespaceLab.users(2 * SESSIONS, i -> ""));
    ns = NetNamespace.create(NS); // only a handle by name for setns(2) from this JVM; the lab (re)creates and deletes it
    lab = new NamespaceLab(NS);
    lab.ip("link", "add", "veth-ac", "type", "veth", "peer", "name", "veth-cl");
    lab.ip("link", "set", "veth-ac", "up");
    lab.ip("link", "set", "veth-cl", "up");
    lab.tinyisp("ready", "radius", "--auth", "127.0.0.1:1812", "--acct", "127.0.0.1:1813", "--client", "127.0.0.1=testing123",
        "--users", dir.resolve("users").toString(), "--accounting-file", dir.resolve("acct.jsonl").toString());
    lab.tinyisp("RunCommand: ready", "pppoe", "--interface", "veth-ac", "--radius", "127.0.0.1:1812", "--radius-secret",
        "testing123", "--prefix-pool", "2001:db8:1000::/36", "--pd-length", "48", "--admin", "127.0.0.1:9153",
        "--coa-listen", "off", "--lcp-echo-interval", "1", "--lcp-echo-failure", "3");
  }

  @AfterAll
  static void teardown() throws Exception {
    if (lab != null) lab.close();
  }

  @Test
  void padiStormIsRateLimitedWithoutHurtingSessionsAndMalformedFramesAreCounted() throws Exception {
    Process client = lab.background(dir.resolve("client.log"), NamespaceLab.root().resolve("bin/tinyisp").toString(),
        "pppoe-client", "--interface", "veth-cl", "--sessions", String.valueOf(SESSIONS), "--rate", "200",
        "--password", "pass%d", "--hold", "12", "--timeout", "30");
    waitFor(dir.resolve("client.log"), SESSIONS + " sessions up", 60);
    Map<String, Double> before = metrics();
    long[] storm = ns.call(() -> storm(4_000, 20_000));
    Map<String, Double> during = metrics();
    assertThat(during.get("tinyisp_pppoe_sessions")).isEqualTo(SESSIONS);
    double limited = delta(before, during, "padi_rate_global") + delta(before, during, "padi_rate_mac");
    // at most 1000/s for 4 s plus the 2000 burst get a PADO; every other PADI is counted: by the rate limit, or by
    // the kernel if the ring overflowed on a slow machine (ring_full, PACKET_STATISTICS, polled once a second)
    Thread.sleep(1500);
    double ringFull = delta(before, metrics(), "ring_full");
    assertThat(limited).as("storm PADIs dropped by the rate limits, of %d sent", storm[0]).isGreaterThan(storm[0] / 2.0);
    assertThat(limited + ringFull).as("storm PADIs counted, of %d sent", storm[0]).isGreaterThanOrEqualTo(storm[0] - 6_500.0);

    Map<String, Integer> expected = ns.call(PppoeStormIT::malformedFrames);
    assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("client.log"));
    assertThat(out).contains("up=" + SESSIONS + " failed=0");
    Map<String, Double> after = metrics();
    Map<String, Double> deltas = new java.util.TreeMap<>();
    after.keySet().forEach(k -> deltas.put(k, delta(before, after, k)));
    expected.forEach((reason, n) -> assertThat(deltas.getOrDefault(reason, 0.0)).as("%s in %s", reason, deltas).isGreaterThanOrEqualTo(n));
    for (String exact : List.of("malformed_version", "malformed_tag", "malformed_length", "unexpected_code", "ppp_malformed")) {
      assertThat(delta(before, after, exact)).as(exact).isEqualTo(expected.get(exact).doubleValue());
    }

    // every session ended by the subscribers' hang-up, none by missed LCP echoes during the storm
    List<String> stops = List.of();
    for (int i = 0; i < 50 && stops.size() < SESSIONS; i++) {
      Thread.sleep(200);
      stops = Files.readAllLines(dir.resolve("acct.jsonl")).stream().filter(l -> l.contains("\"status\":\"Stop\"")).toList();
    }
    assertThat(stops).hasSize(SESSIONS).allMatch(l -> l.contains("User-Request"));

    // discovery recovers at once: a second wave of subscribers comes up
    String again = lab.cli("pppoe-client", "--interface", "veth-cl", "--sessions", String.valueOf(SESSIONS), "--rate", "200",
        "--user", "user%d", "--password", "pass%d", "--hold", "0", "--timeout", "30");
    assertThat(again).contains("up=" + SESSIONS + " failed=0");
  }

  /** PADIs from random locally administered MACs, {@code perSecond} for {@code millis}; returns {sent}. */
  static long[] storm(long millis, int perSecond) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    long sent = 0;
    try (AfPacketSocket socket = AfPacketSocket.open(new AfPacketConfig("veth-cl", List.of(), null, null, null));
        Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(64);
      long start = System.nanoTime();
      long end = start + millis * 1_000_000;
      for (long now; (now = System.nanoTime()) < end; ) {
        long due = (now - start) * perSecond / 1_000_000_000L;
        for (; sent < due; sent++) {
          MacAddress mac = new MacAddress(random.nextLong() & 0xfeff_ffff_ffffL | 0x0200_0000_0000L);
          byte[] padi = PppoeFrame.discovery(MacAddress.BROADCAST, mac, PppoeFrame.CODE_PADI, 0,
              List.of(Tag.text(Tag.SERVICE_NAME, ""))).toBytes();
          MemorySegment.copy(padi, 0, buf, ValueLayout.JAVA_BYTE, 0, padi.length);
          socket.send(buf, padi.length);
        }
        Thread.sleep(1);
      }
    }
    return new long[] {sent};
  }

  /**
   * Writes each malformed frame once (several for some reasons) and returns how many of each reason were sent.
   * The PPP ones need a real session: this test dials one itself (PADI, PADO, PADR, PADS) from its own MAC.
   */
  static Map<String, Integer> malformedFrames() throws Exception {
    Map<String, Integer> sent = new HashMap<>();
    MacAddress me = MacAddress.parse("02:5e:00:00:00:01");
    try (AfPacketSocket socket = AfPacketSocket.open(AfPacketConfig.pppoe("veth-cl")); Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(1600);
      byte[] serviceName = {0x01, 0x01, 0x00, 0x00};
      int d = PppoeFrame.ETHERTYPE_DISCOVERY;
      // VER 2 and TYPE 2 (RFC 2516 §4: both MUST be 1)
      send(socket, buf, sent, "malformed_version", raw(MacAddress.BROADCAST, me, d, 0x21, 0x09, 0, 4, serviceName));
      send(socket, buf, sent, "malformed_version", raw(MacAddress.BROADCAST, me, d, 0x12, 0x09, 0, 4, serviceName));
      // LENGTH past the end of the frame; a tag header cut short; a tag running past LENGTH
      send(socket, buf, sent, "malformed_length", raw(MacAddress.BROADCAST, me, d, 0x11, 0x09, 0, 1400, serviceName));
      send(socket, buf, sent, "malformed_tag", raw(MacAddress.BROADCAST, me, d, 0x11, 0x09, 0, 2, (byte) 1, (byte) 1));
      send(socket, buf, sent, "malformed_tag", raw(MacAddress.BROADCAST, me, d, 0x11, 0x09, 0, 8,
          (byte) 1, (byte) 1, (byte) 0, (byte) 0x20, (byte) 'a', (byte) 'b', (byte) 'c', (byte) 'd'));
      // an undefined discovery code, and a PADO sent to the AC
      MacAddress ac = dial(socket, buf, me);
      send(socket, buf, sent, "unexpected_code", raw(ac, me, d, 0x11, 0x42, 0, 4, serviceName));
      send(socket, buf, sent, "unexpected_code", raw(ac, me, d, 0x11, 0x07, 0, 4, serviceName));
      int session = dialSession(socket, buf, me, ac);
      // session frames: an unknown SESSION_ID; the PPP of our own session without a protocol field, and an LCP
      // header whose Length runs past the packet; a protocol nobody speaks before LCP is Opened
      byte[] lcp = {(byte) 0xc0, 0x21, 1, 1, 0, 8, 1, 4, 5, (byte) 0xd4};
      send(socket, buf, sent, "unknown_session", raw(ac, me, PppoeFrame.ETHERTYPE_SESSION, 0x11, 0, session ^ 0x5555, lcp.length, lcp));
      send(socket, buf, sent, "ppp_malformed", raw(ac, me, PppoeFrame.ETHERTYPE_SESSION, 0x11, 0, session, 1, (byte) 0xc0));
      byte[] overrun = {(byte) 0xc0, 0x21, 1, 9, 0, 0x40, 1, 4};
      send(socket, buf, sent, "ppp_malformed", raw(ac, me, PppoeFrame.ETHERTYPE_SESSION, 0x11, 0, session, overrun.length, overrun));
      byte[] unknown = {0x12, 0x34, 1, 2, 3, 4};
      send(socket, buf, sent, "ppp_protocol", raw(ac, me, PppoeFrame.ETHERTYPE_SESSION, 0x11, 0, session, unknown.length, unknown));
      // and we leave: PADT
      socket.send(copy(buf, PppoeFrame.discovery(ac, me, PppoeFrame.CODE_PADT, session, List.of()).toBytes()), 60);
    }
    return sent;
  }

  /** PADI from {@code me} until a PADO comes back; returns the AC's MAC. */
  static MacAddress dial(AfPacketSocket socket, MemorySegment buf, MacAddress me) throws Exception {
    return exchange(socket, buf, PppoeFrame.discovery(MacAddress.BROADCAST, me, PppoeFrame.CODE_PADI, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""))), me, PppoeFrame.CODE_PADO).source();
  }

  static int dialSession(AfPacketSocket socket, MemorySegment buf, MacAddress me, MacAddress ac) throws Exception {
    PppoeFrame pado = exchange(socket, buf, PppoeFrame.discovery(MacAddress.BROADCAST, me, PppoeFrame.CODE_PADI, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""))), me, PppoeFrame.CODE_PADO);
    PppoeFrame pads = exchange(socket, buf, PppoeFrame.discovery(ac, me, PppoeFrame.CODE_PADR, 0,
        List.of(Tag.text(Tag.SERVICE_NAME, ""), pado.tag(Tag.AC_COOKIE))), me, PppoeFrame.CODE_PADS);
    assertThat(pads.sessionId()).isNotZero();
    return pads.sessionId();
  }

  static PppoeFrame exchange(AfPacketSocket socket, MemorySegment buf, PppoeFrame request, MacAddress me, int code)
      throws Exception {
    PppoeFrame[] answer = new PppoeFrame[1];
    for (int attempt = 0; attempt < 10 && answer[0] == null; attempt++) {
      byte[] b = request.toBytes();
      socket.send(copy(buf, b), b.length);
      long until = System.nanoTime() + 500_000_000L;
      while (answer[0] == null && System.nanoTime() < until) {
        socket.receive((ring, offset, length) -> {
          PppoeFrame f = PppoeFrame.parse(ring.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), length);
          if (f.destination().equals(me) && f.code() == code && f.etherType() == PppoeFrame.ETHERTYPE_DISCOVERY) answer[0] = f;
        }, 50);
      }
    }
    assertThat(answer[0]).as("answer code 0x%02x", code).isNotNull();
    return answer[0];
  }

  static void send(AfPacketSocket socket, MemorySegment buf, Map<String, Integer> sent, String reason, byte[] frame)
      throws Exception {
    assertThat(socket.send(copy(buf, frame), frame.length)).isTrue();
    sent.merge(reason, 1, Integer::sum);
  }

  static MemorySegment copy(MemorySegment buf, byte[] frame) {
    MemorySegment.copy(frame, 0, buf, ValueLayout.JAVA_BYTE, 0, frame.length);
    return buf;
  }

  /** An Ethernet + PPPoE header with every field chosen by the test (RFC 2516 §4), then the payload as is. */
  static byte[] raw(MacAddress dst, MacAddress src, int etherType, int verType, int code, int session, int length, byte... payload) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(60, 20 + payload.length));
    b.put(dst.bytes()).put(src.bytes()).putShort((short) etherType).put((byte) verType).put((byte) code)
        .putShort((short) session).putShort((short) length).put(payload);
    return b.array();
  }

  static void waitFor(Path log, String text, int seconds) throws Exception {
    for (int i = 0; i < seconds * 10; i++) {
      if (Files.exists(log) && Files.readString(log).contains(text)) return;
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' in " + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }

  /** The admin endpoint's drop counters by reason, plus the sessions gauge. */
  static Map<String, Double> metrics() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "exec", NS, "curl", "-sf", "http://127.0.0.1:9153/metrics").start();
    String text = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    Map<String, Double> m = new HashMap<>();
    Matcher drop = Pattern.compile("(?m)^tinyisp_pppoe_drops_total\\{reason=\"([a-z_0-9]+)\"} ([0-9.eE+]+)$").matcher(text);
    while (drop.find()) m.put(drop.group(1), Double.parseDouble(drop.group(2)));
    Matcher sessions = Pattern.compile("(?m)^tinyisp_pppoe_sessions ([0-9.eE+]+)$").matcher(text);
    if (sessions.find()) m.put("tinyisp_pppoe_sessions", Double.parseDouble(sessions.group(1)));
    assertThat(m).as("metrics from the admin endpoint").containsKey("padi_rate_global");
    return m;
  }

  static double delta(Map<String, Double> before, Map<String, Double> after, String reason) {
    return after.getOrDefault(reason, 0.0) - before.getOrDefault(reason, 0.0);
  }
}
