import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import net.tinyisp.radius.wire.Authenticators;
import net.tinyisp.radius.wire.Code;
import net.tinyisp.radius.wire.RadiusPacket;
import net.tinyisp.radius.wire.RawAttribute;
import net.tinyisp.radius.wire.StandardTypes;
import net.tinyisp.radius.wire.UserPassword;

/**
 * A RADIUS load generator that is not the bottleneck (radclient costs ~40 us of CPU per request here): several
 * sockets, each with up to WINDOW requests in flight (<= 256 Identifiers), a fresh authenticator per request (so no
 * duplicate-cache hits), Message-Authenticator on every request, large socket buffers. Prints one line:
 * "kind sent answered accepted lost seconds rate".
 *
 * java -cp CLASSPATH LoadGen.java auth|acct HOST:PORT SECRET USERS SECONDS WINDOW SOCKETS
 */
public class LoadGen {
  public static void main(String[] a) throws Exception {
    String kind = a[0];
    String[] hp = a[1].split(":");
    InetSocketAddress to = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    byte[] secret = a[2].getBytes(StandardCharsets.UTF_8);
    int users = Integer.parseInt(a[3]);
    double seconds = Double.parseDouble(a[4]);
    int window = Math.min(256, Integer.parseInt(a[5]));
    int sockets = Integer.parseInt(a[6]);
    AtomicLong sent = new AtomicLong(), answered = new AtomicLong(), accepted = new AtomicLong(), lost = new AtomicLong();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < sockets; s++) {
      DatagramChannel ch = DatagramChannel.open();
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
      ch.bind(new InetSocketAddress(hp[0], 0));
      ch.connect(to);
      ArrayBlockingQueue<Integer> free = new ArrayBlockingQueue<>(256);
      for (int i = 0; i < window; i++) free.add(i);
      AtomicLongArray sentAt = new AtomicLongArray(256);
      int seed = s;
      Thread tx = Thread.ofPlatform().start(() -> {
        SplittableRandom rnd = new SplittableRandom(seed * 7919L + System.nanoTime());
        byte[] auth = new byte[16];
        long n = 0;
        try {
          while (System.nanoTime() < end) {
            Integer id = free.poll(10, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (id == null) {
              long now = System.nanoTime();
              for (int i = 0; i < 256; i++) { // give up on answers older than 1 s
                long t = sentAt.get(i);
                if (t != 0 && now - t > 1_000_000_000L && sentAt.compareAndSet(i, t, 0)) {
                  lost.incrementAndGet();
                  free.add(i);
                }
              }
              continue;
            }
            int u = 1 + rnd.nextInt(users);
            String user = String.format("user%04d", u);
            byte[] wire;
            if (kind.equals("auth")) {
              for (int i = 0; i < 16; i++) auth[i] = (byte) rnd.nextInt(256);
              String pw = String.format("pass%04d", u);
              wire = Authenticators.encodeRequest(new RadiusPacket(Code.ACCESS_REQUEST, id, auth, List.of(
                  new RawAttribute(StandardTypes.USER_NAME, user.getBytes(StandardCharsets.UTF_8)),
                  new RawAttribute(StandardTypes.USER_PASSWORD, UserPassword.hide(pw.getBytes(StandardCharsets.UTF_8),
                      secret, auth)),
                  new RawAttribute(StandardTypes.NAS_IP_ADDRESS, new byte[] {127, 0, 0, 1}))), secret, true);
            } else {
              n++;
              wire = Authenticators.encodeRequest(new RadiusPacket(Code.ACCOUNTING_REQUEST, id, new byte[16], List.of(
                  new RawAttribute(StandardTypes.ACCT_STATUS_TYPE, new byte[] {0, 0, 0, 3}),
                  new RawAttribute(StandardTypes.USER_NAME, user.getBytes(StandardCharsets.UTF_8)),
                  new RawAttribute(StandardTypes.ACCT_SESSION_ID,
                      ("s" + seed + "-" + n + "-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8)),
                  new RawAttribute(42, new byte[] {0, 1, 0, 0}), new RawAttribute(43, new byte[] {0, 2, 0, 0}),
                  new RawAttribute(StandardTypes.NAS_IP_ADDRESS, new byte[] {127, 0, 0, 1}))), secret, false);
            }
            sentAt.set(id, System.nanoTime());
            ch.write(ByteBuffer.wrap(wire));
            sent.incrementAndGet();
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      Thread rx = Thread.ofPlatform().daemon().start(() -> {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
          while (true) {
            buf.clear();
            ch.read(buf);
            if (buf.position() < 20) continue;
            int id = buf.get(1) & 0xff;
            long t = sentAt.get(id);
            if (t == 0 || !sentAt.compareAndSet(id, t, 0)) continue; // late answer to a request given up on
            answered.incrementAndGet();
            int code = buf.get(0) & 0xff;
            if (code == 2 || code == 5) accepted.incrementAndGet();
            free.add(id);
          }
        } catch (Exception closed) {
          // done
        }
      });
      threads.add(tx);
    }
    for (Thread t : threads) t.join();
    Thread.sleep(300); // let the last answers in
    double secs = (System.nanoTime() - start) / 1e9 - 0.3;
    System.out.printf("%s sent=%d answered=%d accepted=%d lost=%d seconds=%.2f rate=%.0f%n", kind, sent.get(),
        answered.get(), accepted.get(), lost.get(), secs, answered.get() / secs);
  }
}
