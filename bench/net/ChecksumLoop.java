// InternetChecksum (8 bytes at a time over a MemorySegment) vs the textbook RFC 1071 16-bit loop over byte[], on
// 1500-byte packets. A simple timed loop, not JMH: rerun a few times and compare the ratio, not the absolute numbers.
// Run: java -cp net/target/classes bench/net/ChecksumLoop.java
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import net.tinyisp.net.checksum.InternetChecksum;

static int reference(byte[] b, int len) {
  long sum = 0;
  int i = 0;
  for (; i + 1 < len; i += 2) {
    sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }
  if (i < len) {
    sum += (b[i] & 0xff) << 8;
  }
  while ((sum >>> 16) != 0) {
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return (int) (~sum & 0xffff);
}

void main() {
  int len = 1500;
  int packets = 4096;
  byte[][] arrays = new byte[packets][len];
  MemorySegment native_ = Arena.global().allocate((long) packets * len, 64);
  SplittableRandom rnd = new SplittableRandom(1);
  for (int p = 0; p < packets; p++) {
    rnd.nextBytes(arrays[p]);
    MemorySegment.copy(arrays[p], 0, native_, ValueLayout.JAVA_BYTE, (long) p * len, len);
  }
  for (int round = 0; round < 5; round++) {
    long sink = 0;
    long t0 = System.nanoTime();
    for (int r = 0; r < 100; r++) {
      for (int p = 0; p < packets; p++) {
        sink += InternetChecksum.checksum(native_, (long) p * len, len);
      }
    }
    long t1 = System.nanoTime();
    for (int r = 0; r < 100; r++) {
      for (int p = 0; p < packets; p++) {
        sink -= reference(arrays[p], len);
      }
    }
    long t2 = System.nanoTime();
    double n = 100.0 * packets;
    double fast = (t1 - t0) / n;
    double ref = (t2 - t1) / n;
    System.out.printf("round %d: InternetChecksum %.0f ns/packet (%.1f GB/s), 16-bit loop %.0f ns/packet, "
        + "ratio %.2f%s%n", round, fast, len / fast, ref, ref / fast, sink == 0 ? "" : " (results differ!)");
  }
}
