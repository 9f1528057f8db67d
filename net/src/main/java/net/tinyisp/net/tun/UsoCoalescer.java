package net.tinyisp.net.tun;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import net.tinyisp.net.checksum.InternetChecksum;

/**
 * Write-side batching for a TUN opened with {@code IFF_VNET_HDR} and USO ({@code TUN_F_USO4/6}, kernel 6.2+):
 * complete UDP datagrams of one flow offered within a batch are joined into one UDP super-packet (virtio
 * {@code gso_type UDP_L4}, {@code gso_size} = the datagrams' payload size) so that one {@code write(2)} carries
 * many datagrams and the kernel routes, forwards and finally segments them once (the receiving socket or the
 * output device cuts them back, {@code __udp_gso_segment}). The wire sees the same datagrams in the same order
 * per flow; only the IPv4 identification becomes consecutive per super-packet.
 *
 * <p>A flow is everything the kernel copies into each segment: the IP header without its length, identification
 * and checksum fields, and the UDP ports. Datagrams join the open group of their flow while their payload equals
 * the group's first one; a shorter one may close the group as its last segment (GSO's own rule, RFC-less: the
 * kernel's {@code skb_segment}). Any other UDP packet, a fragment, an IPv4 header with options, or a packet that
 * is already a super-packet, is not joined: {@link #offer} returns false after flushing every open group, so per
 * flow order holds, and the caller writes it itself. Non-UDP packets are never touched and flush nothing (they
 * share no flow with a group).
 *
 * <p>Call {@link #flush} at the end of each read batch; the caller's {@link Writer} gets frames that start with
 * the 10-byte virtio header. Groups of one datagram go out as a plain packet (the kernel refuses GSO with a single
 * segment). Not thread-safe: one per queue thread. Allocates its buffers once.
 */
public final class UsoCoalescer {
  /** Receives a frame (virtio header + packet) of {@code length} bytes carrying {@code datagrams} datagrams. */
  @FunctionalInterface
  public interface Writer {
    void write(MemorySegment frame, int length, int datagrams);
  }

  /** The kernel accepts at most UDP_MAX_SEGMENTS (64 before 6.15, 128 after) segments per UDP super-packet. */
  public static final int MAX_SEGMENTS = 64;
  private static final int MAX_IP_LENGTH = 65535;
  private static final int HDR = VirtioNetHeader.LENGTH;
  private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final Writer out;
  private final int maxSegments;
  private final MemorySegment[] frames;
  private final int[] keyHash;
  private final int[] ipHeader;
  private final int[] segment;
  private final int[] count;
  private final int[] length;
  private final boolean[] closed;
  private final boolean[] open;
  private long superPackets;
  private long joinedDatagrams;

  /**
   * @param flows how many flows may have an open group at once; a new flow beyond that flushes the oldest slot
   * @param maxSegments datagrams per super-packet, 2..{@link #MAX_SEGMENTS}
   */
  public UsoCoalescer(Arena arena, int flows, int maxSegments, Writer out) {
    if (flows < 1 || maxSegments < 2 || maxSegments > MAX_SEGMENTS) {
      throw new IllegalArgumentException("flows >= 1 and maxSegments 2.." + MAX_SEGMENTS);
    }
    this.out = out;
    this.maxSegments = maxSegments;
    this.frames = new MemorySegment[flows];
    for (int i = 0; i < flows; i++) {
      frames[i] = arena.allocate(HDR + MAX_IP_LENGTH, 64);
    }
    this.keyHash = new int[flows];
    this.ipHeader = new int[flows];
    this.segment = new int[flows];
    this.count = new int[flows];
    this.length = new int[flows];
    this.closed = new boolean[flows];
    this.open = new boolean[flows];
  }

  /** Super-packets written so far (groups of two or more datagrams). */
  public long superPackets() {
    return superPackets;
  }

  /** Datagrams that went out inside super-packets. */
  public long joinedDatagrams() {
    return joinedDatagrams;
  }

  /**
   * Takes a complete, checksummed packet (no virtio header) that the caller would otherwise write now. Returns
   * true when it was taken (it goes out at the latest at {@link #flush}); false when the caller must write it
   * itself, in which case every group that could share its flow has already been written.
   */
  public boolean offer(byte[] b, int off, int len) {
    if (len < 28) {
      return false;
    }
    int version = (b[off] & 0xf0) >>> 4;
    int ip;
    if (version == 4) {
      if (b[off] != 0x45 || b[off + 9] != 17) {
        return notJoined(b[off + 9] == 17);
      }
      // fragments (MF or an offset) and length mismatches are left alone (RFC 791 §3.1 flags/fragment offset)
      if ((u16(b, off + 6) & 0x3fff) != 0 || u16(b, off + 2) != len) {
        return notJoined(true);
      }
      ip = 20;
    } else if (version == 6) {
      if (b[off + 6] != 17 || len < 48) {
        return notJoined(b[off + 6] == 17);
      }
      if (u16(b, off + 4) + 40 != len) {
        return notJoined(true);
      }
      ip = 40;
    } else {
      return false;
    }
    int udpLen = u16(b, off + ip + 4);
    int payload = udpLen - 8;
    if (udpLen != len - ip || payload <= 0) {
      return notJoined(true);
    }
    int h = hash(b, off, ip);
    int free = -1;
    for (int s = 0; s < frames.length; s++) {
      if (!open[s]) {
        if (free < 0) free = s;
        continue;
      }
      if (keyHash[s] != h || ipHeader[s] != ip || !sameFlow(s, b, off, ip)) {
        continue;
      }
      if (!closed[s] && payload <= segment[s] && count[s] < maxSegments && length[s] + payload <= MAX_IP_LENGTH) {
        MemorySegment.copy(b, off + ip + 8, frames[s], ValueLayout.JAVA_BYTE, HDR + length[s], payload);
        length[s] += payload;
        count[s]++;
        closed[s] = payload < segment[s];
        return true;
      }
      // the group cannot take it: send the group, the datagram starts the flow's next group in the same slot
      write(s);
      start(s, h, b, off, len, ip, payload);
      return true;
    }
    if (free < 0) {
      // more flows than slots in one batch: the slot of the first flow goes out now
      free = 0;
      write(0);
    }
    start(free, h, b, off, len, ip, payload);
    return true;
  }

  /** Writes every open group. */
  public void flush() {
    for (int s = 0; s < frames.length; s++) {
      if (open[s]) {
        write(s);
      }
    }
  }

  private boolean notJoined(boolean udp) {
    if (udp) {
      flush();
    }
    return false;
  }

  private void start(int s, int h, byte[] b, int off, int len, int ip, int payload) {
    MemorySegment.copy(b, off, frames[s], ValueLayout.JAVA_BYTE, HDR, len);
    open[s] = true;
    closed[s] = false;
    keyHash[s] = h;
    ipHeader[s] = ip;
    segment[s] = payload;
    count[s] = 1;
    length[s] = len;
  }

  private void write(int s) {
    MemorySegment f = frames[s];
    open[s] = false;
    VirtioNetHeader.clear(f, 0);
    int n = count[s];
    int len = length[s];
    if (n > 1) {
      int ip = ipHeader[s];
      int udpLen = len - ip;
      long pseudo;
      if (ip == 20) {
        f.set(U16, HDR + 2, (short) len);
        f.set(U16, HDR + 10, (short) 0);
        f.set(U16, HDR + 10, (short) InternetChecksum.checksum(f, HDR, 20));
        pseudo = InternetChecksum.pseudoHeaderV4(f.get(I32, HDR + 12), f.get(I32, HDR + 16), 17, udpLen);
      } else {
        f.set(U16, HDR + 4, (short) udpLen);
        pseudo = InternetChecksum.pseudoHeaderV6(f, HDR + 8, HDR + 24, 17, udpLen);
      }
      f.set(U16, HDR + ip + 4, (short) udpLen);
      // the kernel finishes the checksum of every segment from the pseudo-header sum over the whole length
      ChecksumOffload.preparePartial(f, 0, HDR, ip, 6, pseudo);
      VirtioNetHeader.gsoType(f, 0, VirtioNetHeader.GSO_UDP_L4);
      VirtioNetHeader.gsoSize(f, 0, segment[s]);
      VirtioNetHeader.hdrLen(f, 0, ip + 8);
      superPackets++;
      joinedDatagrams += n;
    }
    out.write(f, HDR + len, n);
  }

  /** The fields every segment repeats: IPv4 bytes 0-1, 6-9, 12-19; IPv6 bytes 0-3, 6-39; UDP ports. */
  private boolean sameFlow(int s, byte[] b, int off, int ip) {
    MemorySegment f = frames[s];
    long o = HDR;
    if (ip == 20) {
      return f.get(U16, o) == (short) u16(b, off)
          && f.get(I32, o + 6) == i32(b, off + 6)
          && f.get(I32, o + 12) == i32(b, off + 12)
          && f.get(I32, o + 16) == i32(b, off + 16)
          && f.get(I32, o + 20) == i32(b, off + 20);
    }
    if (f.get(I32, o) != i32(b, off) || f.get(U16, o + 6) != (short) u16(b, off + 6)) {
      return false;
    }
    for (int i = 8; i < 44; i += 4) {
      if (f.get(I32, o + i) != i32(b, off + i)) {
        return false;
      }
    }
    return true;
  }

  private static int hash(byte[] b, int off, int ip) {
    // addresses' last words and the ports: enough to tell flows apart before the full comparison
    int h = ip == 20 ? i32(b, off + 12) * 31 + i32(b, off + 16) : i32(b, off + 20) * 31 + i32(b, off + 36);
    return h * 31 + i32(b, off + ip);
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  private static int i32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }
}
