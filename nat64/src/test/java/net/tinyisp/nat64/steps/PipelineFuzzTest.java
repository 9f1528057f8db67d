package net.tinyisp.nat64.steps;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import net.tinyisp.nat64.config.Pool4Entry;
import net.tinyisp.nat64.config.PortRange;
import net.tinyisp.nat64.config.StaticBibEntry;

/**
 * Network-facing parser and translator: any bytes from the TUN device must end in a verdict, never an exception or
 * an out-of-bounds write. The first byte picks a prefix shape so the fuzzer reaches the pool6/pool4 paths quickly.
 * In regression mode (plain {@code verify}) it replays the seeds under src/test/resources.
 */
class PipelineFuzzTest {
  private static final Harness H;

  static {
    PortRange r = new PortRange(1024, 65535);
    H = new Harness(new net.tinyisp.nat64.config.Nat64Config("2001:db8:64::/96",
        List.of(new Pool4Entry("198.51.100.1", r, r, r)), null, null, null, null,
        List.of(StaticBibEntry.parse("udp 2001:db8:1::10#53 198.51.100.1#53"),
            StaticBibEntry.parse("tcp 2001:db8:1::10#80 198.51.100.1#80"),
            StaticBibEntry.parse("icmp 2001:db8:1::10#7 198.51.100.1#7")),
        null, null, null, null, null, null));
  }

  @FuzzTest(maxDuration = "20s")
  void anyPacketEndsInAVerdict(FuzzedDataProvider data) {
    int shape = data.consumeInt(0, 2);
    byte[] body = data.consumeRemainingAsBytes();
    byte[] p = switch (shape) {
      case 0 -> body;
      case 1 -> withHeader(TestPackets.v6("2001:db8:1::10", "2001:db8:64::cb00:710a", 59, 64, new byte[0]), body, true);
      default -> withHeader(TestPackets.v4("203.0.113.10", "198.51.100.1", 253, 64, 0, 0, new byte[0]), body, false);
    };
    if (p.length > 65535) return;
    H.send(p);
    H.out.clear();
  }

  /** A valid IP header whose protocol and payload come from the fuzzer. */
  private static byte[] withHeader(byte[] header, byte[] body, boolean v6) {
    byte[] p = new byte[header.length + Math.max(0, body.length - 1)];
    System.arraycopy(header, 0, p, 0, header.length);
    if (body.length > 0) {
      p[v6 ? 6 : 9] = body[0];
      System.arraycopy(body, 1, p, header.length, body.length - 1);
    }
    int n = p.length - header.length;
    if (v6) {
      p[4] = (byte) (n >> 8);
      p[5] = (byte) n;
    } else {
      p[2] = (byte) (p.length >> 8);
      p[3] = (byte) p.length;
    }
    return p;
  }
}
