// TUN echo through tinyisp's net module, the Java side of bench/net/run.sh. Same loop as tun_echo.c: poll, read until
// EAGAIN, turn an ICMPv6 echo request into its reply in place with the header views, write it back.
// Run: java --enable-native-access=ALL-UNNAMED -cp net/target/classes bench/net/TunEcho.java IFNAME
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import net.tinyisp.net.header.Icmpv6Header;
import net.tinyisp.net.header.Ipv6Header;
import net.tinyisp.net.tun.TunConfig;
import net.tinyisp.net.tun.TunDevice;
import net.tinyisp.net.tun.TunQueue;

void main(String[] args) throws Exception {
  TunDevice tun = TunDevice.open(TunConfig.simple(args[0]));
  TunQueue q = tun.queue(0);
  MemorySegment buf = Arena.global().allocate(2048, 64);
  Ipv6Header ip = new Ipv6Header();
  Icmpv6Header icmp = new Icmpv6Header();
  long[] packets = {0};
  Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("packets " + packets[0])));
  while (true) {
    if (!q.pollIn(100)) {
      continue;
    }
    int n;
    while ((n = q.read(buf)) != TunQueue.WOULD_BLOCK) {
      packets[0]++;
      ip.wrap(buf, 0);
      if (!ip.valid(n) || ip.nextHeader() != 58) {
        continue;
      }
      icmp.wrap(buf, ip.payloadOffset());
      if (icmp.type() != Icmpv6Header.ECHO_REQUEST) {
        continue;
      }
      long sh = ip.sourceHigh();
      long sl = ip.sourceLow();
      ip.source(ip.destinationHigh(), ip.destinationLow()).destination(sh, sl);
      int len = ip.payloadLength();
      icmp.type(Icmpv6Header.ECHO_REPLY).updateChecksum(ip.pseudoHeaderSum(58, len), len);
      q.write(buf, n);
    }
  }
}
