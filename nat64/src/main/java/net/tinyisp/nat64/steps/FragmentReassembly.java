package net.tinyisp.nat64.steps;

import static net.tinyisp.nat64.wire.Bytes.i32;
import static net.tinyisp.nat64.wire.Bytes.i64;
import static net.tinyisp.nat64.wire.Bytes.put16;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 6146 §3.4: a stateful NAT64 needs the transport ports, which only the first fragment carries, so it collects
 * fragments (bounded in count and time, FRAGMENT_MIN = 2 s) and translates the reassembled packet. Overlapping
 * fragments drop the whole packet (RFC 5722). One instance per worker thread.
 */
public final class FragmentReassembly {
  private record Key(int version, long a, long b, long c, long d, int id, int proto) {}

  private static final class Pending {
    final byte[] buf = new byte[PacketContext.HEADROOM + 60 + 65535];
    final List<int[]> ranges = new ArrayList<>();
    int headerLen = -1;
    int total = -1;
    int received;
    long deadline;
    boolean dontFragment;
  }

  private final Map<Key, Pending> pending = new HashMap<>();
  private final int maxPending;
  private final long timeoutMillis;

  public FragmentReassembly(int maxPending, long timeoutMillis) {
    this.maxPending = maxPending;
    this.timeoutMillis = timeoutMillis;
  }

  public int pendingCount() {
    return pending.size();
  }

  /**
   * Adds the fragment {@code c} describes (transport data at {@code c.l4Off}); when the packet is complete, points
   * {@code c} at the reassembled, unfragmented packet and returns CONTINUE (the caller parses it again). Returns
   * CONSUMED while waiting, DROP with a reason otherwise.
   */
  public Verdict add(PacketContext c, int fragOffset, boolean more, long now) {
    byte[] b = c.buf;
    Key k = c.fromV6
        ? new Key(6, i64(b, c.off + 8), i64(b, c.off + 16), i64(b, c.off + 24), i64(b, c.off + 32), c.fragmentId,
            c.nextHeader)
        : new Key(4, i32(b, c.off + 12), i32(b, c.off + 16), 0, 0, c.ipv4Id, c.nextHeader);
    Pending p = pending.get(k);
    if (p == null) {
      if (pending.size() >= maxPending) return c.drop(DropReason.FRAGMENT_TABLE_FULL);
      p = new Pending();
      p.deadline = now + timeoutMillis;
      pending.put(k, p);
    }
    int len = c.l4Len;
    int end = fragOffset + len;
    // every fragment but the last carries a multiple of 8 bytes (RFC 8200 §4.5, RFC 791)
    if (end > 65535 - 60 || (more && (len & 7) != 0) || (!more && p.total >= 0 && p.total != end)) {
      pending.remove(k);
      return c.drop(DropReason.FRAGMENT_INVALID);
    }
    for (int[] r : p.ranges) {
      if (fragOffset < r[1] && end > r[0]) {
        pending.remove(k);
        return c.drop(DropReason.FRAGMENT_INVALID);
      }
    }
    if (!more) p.total = end;
    p.ranges.add(new int[] {fragOffset, end});
    p.received += len;
    int hdr = c.fromV6 ? 40 : 20;
    System.arraycopy(b, c.l4Off, p.buf, PacketContext.HEADROOM + hdr + fragOffset, len);
    if (fragOffset == 0) {
      System.arraycopy(b, c.off, p.buf, PacketContext.HEADROOM, hdr);
      p.headerLen = hdr;
    }
    if (p.total < 0 || p.headerLen < 0 || p.received != p.total) return Verdict.CONSUMED;
    pending.remove(k);
    int o = PacketContext.HEADROOM;
    byte[] r = p.buf;
    if (c.fromV6) {
      r[o + 6] = (byte) c.nextHeader;
      put16(r, o + 4, p.total);
    } else {
      r[o] = 0x45; // options of the first fragment are not kept
      put16(r, o + 2, 20 + p.total);
      put16(r, o + 6, 0);
    }
    int fragmentId = c.fragmentId;
    int ipv4Id = c.ipv4Id;
    c.reset(r, o, hdr + p.total);
    c.wasFragmented = true;
    c.fragmentId = fragmentId;
    c.ipv4Id = ipv4Id;
    return Verdict.CONTINUE;
  }

  /** Drops packets whose fragments did not all arrive in time; returns how many. */
  public int expire(long now) {
    int n = 0;
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      if (it.next().deadline <= now) {
        it.remove();
        n++;
      }
    }
    return n;
  }
}
