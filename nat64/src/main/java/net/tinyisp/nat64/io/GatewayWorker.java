package net.tinyisp.nat64.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.LockSupport;
import net.tinyisp.nat64.state.Nat64State;
import net.tinyisp.nat64.steps.DropReason;
import net.tinyisp.nat64.steps.Nat64Counters;
import net.tinyisp.nat64.steps.PacketContext;
import net.tinyisp.nat64.steps.PacketSink;
import net.tinyisp.nat64.steps.Pipeline;
import net.tinyisp.net.ffm.NativeException;
import net.tinyisp.net.tun.ChecksumOffload;
import net.tinyisp.net.tun.TunQueue;
import net.tinyisp.net.tun.UsoCoalescer;
import net.tinyisp.net.tun.VirtioNetHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TUN queue's packet loop on its own platform thread: poll, read a batch, run each packet through the
 * pipeline, write what it emits back to the same queue. With the virtio-net header a read may be a TSO/USO
 * super-packet of up to 64 KB: it is translated once (its partial checksum adjusted for the new pseudo-header) and
 * written back with a virtio header of the other IP version, so the kernel segments it. Small UDP datagrams, which
 * veth does not aggregate, are joined on the way out instead: the translated datagrams of one flow within a read
 * batch leave as one USO super-packet ({@link UsoCoalescer}), one write for many. Buffers are allocated once per
 * thread; the loop allocates nothing per packet.
 */
final class GatewayWorker implements Runnable, PacketSink {
  private static final Logger log = LoggerFactory.getLogger(GatewayWorker.class);
  private static final int BATCH = 64;
  /** Flows with an open UDP group per batch; iperf3 -P 4 and a subscriber's few busy flows fit. */
  private static final int FLOWS = 8;
  private static final int MAX_PACKET = 65535 + VirtioNetHeader.LENGTH + 64;

  private final TunQueue queue;
  private final Pipeline pipeline;
  private final Nat64State state;
  private final Nat64Counters counters;
  private final boolean vnet;
  private final boolean runsTimers;
  private final long napNanos;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private MemorySegment tx;
  private UsoCoalescer coalescer;

  GatewayWorker(TunQueue queue, Pipeline pipeline, Nat64State state, Nat64Counters counters, boolean runsTimers,
      int rxCoalesceUsecs) {
    this.napNanos = rxCoalesceUsecs * 1000L;
    this.queue = queue;
    this.pipeline = pipeline;
    this.state = state;
    this.counters = counters;
    this.vnet = queue.vnetHeader();
    this.runsTimers = runsTimers;
  }

  void stop() {
    running = false;
  }

  Throwable failure() {
    return failure;
  }

  @Override
  public void run() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment rx = arena.allocate(MAX_PACKET, 64);
      tx = arena.allocate(MAX_PACKET, 64);
      // USO is among the offloads whenever the virtio header is on (Gateway.open)
      coalescer = vnet ? new UsoCoalescer(arena, FLOWS, UsoCoalescer.MAX_SEGMENTS, this::writeFrame) : null;
      byte[] buf = new byte[PacketContext.HEADROOM + MAX_PACKET];
      PacketContext ctx = new PacketContext();
      int hdr = vnet ? VirtioNetHeader.LENGTH : 0;
      long nextTick = System.nanoTime() + 1_000_000_000L;
      while (running) {
        int got = 0;
        long joinedBefore = coalescer == null ? 0 : coalescer.joinedDatagrams();
        for (; got < BATCH; got++) {
          int n = queue.read(rx);
          if (n == TunQueue.WOULD_BLOCK) break;
          if (n <= hdr) continue;
          int len = n - hdr;
          int gso = 0;
          boolean partial = false;
          if (vnet) {
            int flags = VirtioNetHeader.flags(rx, 0);
            if (VirtioNetHeader.gsoType(rx, 0) != VirtioNetHeader.GSO_NONE) {
              gso = VirtioNetHeader.gsoSize(rx, 0);
            }
            if ((flags & VirtioNetHeader.F_NEEDS_CSUM) != 0) {
              if (gso == 0) {
                // a single packet: finish its checksum now so every later step sees a complete one
                ChecksumOffload.complete(rx, hdr, len, VirtioNetHeader.csumStart(rx, 0),
                    VirtioNetHeader.csumOffset(rx, 0));
              } else {
                partial = true;
              }
            }
          }
          MemorySegment.copy(rx, ValueLayout.JAVA_BYTE, hdr, buf, PacketContext.HEADROOM, len);
          ctx.reset(buf, PacketContext.HEADROOM, len);
          ctx.gsoSize = gso;
          ctx.partialChecksum = partial;
          pipeline.process(ctx, this);
        }
        boolean smallUdpFlood = false;
        if (coalescer != null) {
          coalescer.flush();
          smallUdpFlood = coalescer.joinedDatagrams() != joinedBefore;
        }
        if (got < BATCH) {
          if (smallUdpFlood && napNanos > 0) {
            // datagrams of one flow arrive faster than one per wake-up: let them gather for a moment before reading
            // again instead of sleeping and waking per packet or two (interrupt coalescing, ethtool's rx-usecs):
            // fewer wake-ups, larger batches, larger USO super-packets. Anything else (a ping, DNS, TCP, whose
            // GRO super-packets already carry many segments per read) never waits.
            LockSupport.parkNanos(napNanos);
          } else {
            // drained: sleep until the next packet (a full batch means more are waiting, so no poll)
            queue.pollIn(100);
          }
        }
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          nextTick = now + 1_000_000_000L;
          pipeline.tick();
          if (runsTimers) state.expire();
        }
      }
    } catch (Throwable t) {
      if (running) {
        failure = t;
        log.error("nat64 queue {} stopped: {}", queue.index(), t.toString(), t);
      }
    }
  }

  @Override
  public void emit(byte[] b, int off, int len, int gsoSize, boolean partialChecksum) {
    if (gsoSize == 0 && !partialChecksum && coalescer != null && coalescer.offer(b, off, len)) {
      return;
    }
    int hdr = vnet ? VirtioNetHeader.LENGTH : 0;
    if (vnet) {
      VirtioNetHeader.clear(tx, 0);
      if (gsoSize > 0 || partialChecksum) {
        boolean v4 = (b[off] & 0xf0) == 0x40;
        int ipHdr = v4 ? (b[off] & 0x0f) * 4 : 40;
        int proto = v4 ? b[off + 9] & 0xff : b[off + 6] & 0xff;
        boolean tcp = proto == 6;
        int l4Hdr = tcp ? ((b[off + ipHdr + 12] & 0xf0) >>> 4) * 4 : 8;
        VirtioNetHeader.flags(tx, 0, partialChecksum ? VirtioNetHeader.F_NEEDS_CSUM : 0);
        VirtioNetHeader.csumStart(tx, 0, ipHdr);
        VirtioNetHeader.csumOffset(tx, 0, tcp ? 16 : 6);
        if (gsoSize > 0) {
          int type = tcp ? (v4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6) : VirtioNetHeader.GSO_UDP_L4;
          VirtioNetHeader.gsoType(tx, 0, type);
          VirtioNetHeader.gsoSize(tx, 0, gsoSize);
          VirtioNetHeader.hdrLen(tx, 0, ipHdr + l4Hdr);
        }
      }
    }
    MemorySegment.copy(b, off, tx, ValueLayout.JAVA_BYTE, hdr, len);
    writeFrame(tx, hdr + len, 1);
  }

  /** Writes one frame (virtio header included when on); a frame the kernel does not take counts each datagram. */
  private void writeFrame(MemorySegment frame, int length, int datagrams) {
    DropReason failed = null;
    try {
      int r = queue.write(frame, length);
      if (r == TunQueue.WOULD_BLOCK) {
        if (!queue.pollOut(10) || queue.write(frame, length) == TunQueue.WOULD_BLOCK) {
          failed = DropReason.TUN_QUEUE_FULL;
        }
      }
    } catch (NativeException e) {
      failed = DropReason.TUN_WRITE_FAILED;
    }
    if (failed != null) {
      for (int i = 0; i < datagrams; i++) {
        counters.drop(failed);
      }
    } else if (datagrams > 1) {
      counters.coalesced(datagrams);
    }
  }
}
