package net.tinyisp.pppoe.client;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.tinyisp.net.ffm.Libc;
import net.tinyisp.net.ffm.NativeException;
import net.tinyisp.net.packet.AfPacketConfig;
import net.tinyisp.net.packet.AfPacketSocket;
import net.tinyisp.net.tun.TunConfig;
import net.tinyisp.net.tun.TunDevice;
import net.tinyisp.pppoe.wire.MacAddress;

/**
 * The load client's data path: one TUN device per session (named prefix + subscriber index) in the client's network
 * namespace, so ordinary programs ({@code iperf3 -B ADDR}) send real traffic through each PPPoE session.
 *
 * <ul>
 *   <li>Down (AC to subscriber): the runner's receive thread offers every frame from the AF_PACKET ring to
 *       {@link #downstream}; an IPv6 session frame (PPP 0x0057) of a known session is copied from the ring into a
 *       fixed native buffer and written to that session's TUN. Nothing is allocated per packet.
 *   <li>Up (subscriber to AC): one platform thread polls every TUN fd, reads each packet behind a reserved 22-byte
 *       header in a fixed buffer, writes the session's Ethernet + PPPoE + PPP header in front and sends it on its own
 *       send-only AF_PACKET socket. Nothing is allocated per packet.
 *   <li>Set-up (a third thread, off the packet path): on the access concentrator's RA (solicited after 1 s without
 *       one), {@code ip} brings the TUN up (MTU 1492, link-local {@code fe80::IID} from IPv6CP), adds
 *       {@code PREFIX::IID/64} and a source rule ({@code ip -6 rule from ADDR lookup TABLE}, default route via the TUN in TABLE), so
 *       {@code iperf3 -B ADDR} leaves through that session; then a DHCPv6 Solicit (Rapid Commit, IA_PD) gets the
 *       delegated prefix, whose first address goes on the TUN with a source rule for the whole prefix.
 * </ul>
 *
 * Sessions are indexed by PPPoE session ID (one access concentrator per run, as the load client dials one).
 */
public final class SessionTunnels implements LoadClient.SessionListener, AutoCloseable {
  static final int HEADER = 22;
  static final int MTU = 1492; // RFC 2516 §7
  static final int FIRST_TABLE = 1000;
  private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final long RS_INTERVAL = 1_000_000_000L; // RFC 4861 §10 RTR_SOLICITATION_INTERVAL is 4 s; 1 s here
  private static final int MAX_RS = 5;

  private final String iface;
  private final String prefix;
  private final PrintStream out;
  // receive-thread state: the session table and the copy buffer toward the TUNs
  private final SessionTunnel[] bySession = new SessionTunnel[65536];
  private final Arena downArena = Arena.ofShared();
  private final MemorySegment downBuffer = downArena.allocate(65536);
  // published to the TUN thread on every change (copy on write: allocation per session change, not per packet)
  private volatile SessionTunnel[] active = new SessionTunnel[0];
  private final Queue<SessionTunnel> retiring = new ConcurrentLinkedQueue<>();
  private final Queue<byte[]> controlPackets = new ConcurrentLinkedQueue<>(); // IPv6 packets we originate (RS)
  private final Queue<SessionTunnel> controlSessions = new ConcurrentLinkedQueue<>();
  private final BlockingQueue<Runnable> setup = new LinkedBlockingQueue<>();
  private final List<SessionTunnel> all = new ArrayList<>();
  private AfPacketSocket sendSocket;
  private Thread upThread;
  private Thread setupThread;
  private volatile boolean running;
  private volatile String failure;
  private boolean closed;
  private volatile long ringDrops;

  public SessionTunnels(String iface, String prefix, PrintStream out) {
    if (prefix.length() + 5 > TunConfig.IFNAMSIZ - 1) {
      throw new IllegalArgumentException("--tun prefix '" + prefix + "' leaves no room for the index (at most 10 characters)");
    }
    this.iface = iface;
    this.prefix = prefix;
    this.out = out;
  }

  /** Opens the send socket and starts the TUN and set-up threads; call in the client's network namespace. */
  public void start() throws NativeException {
    // send-only: no EtherType passes the filter, one small ring block
    sendSocket = AfPacketSocket.open(new AfPacketConfig(iface, List.of(), 4096, 1, null));
    running = true;
    upThread = Thread.ofPlatform().name("pppoe-client-tun").start(this::upstreamLoop);
    setupThread = Thread.ofPlatform().name("pppoe-client-setup").daemon().start(this::setupLoop);
  }

  // ------------------------------------------------------------------ sessions (receive thread)

  @Override
  public void up(int index, String user, MacAddress mac, MacAddress ac, int sessionId, long localId, long peerId) {
    SessionTunnel live = bySession[sessionId];
    if (live != null && live.index == index) return; // IPv6CP renegotiated on a live session: same TUN, same address
    String device = prefix + index;
    TunDevice tun;
    try {
      tun = TunDevice.open(TunConfig.simple(device));
    } catch (NativeException e) {
      out.println("pppoe-client: tun " + device + " failed: " + e.getMessage());
      return;
    }
    SessionTunnel t = new SessionTunnel(index, user, mac, ac, sessionId, localId, device, FIRST_TABLE + index, tun);
    SessionTunnel old = bySession[sessionId];
    if (old != null) down(old, "replaced");
    bySession[sessionId] = t;
    synchronized (all) {
      all.add(t);
    }
    publish();
    setup.add(() -> configure(t));
  }

  @Override
  public void down(int index, int sessionId, String why) {
    SessionTunnel t = bySession[sessionId];
    if (t != null && t.index == index) down(t, why);
  }

  private void down(SessionTunnel t, String why) {
    bySession[t.sessionId] = null;
    t.ended = why;
    publish();
    retiring.add(t); // the TUN thread closes the fd once it no longer polls it
    out.println("pppoe-client: session-end index=" + t.index + " user=" + t.user + " tun=" + t.device + " sid="
        + t.sessionId + " reason=" + why + " " + t.counters());
    String address = t.address;
    if (address != null) setup.add(() -> ipBatch(t, "rule del from " + address + " lookup " + t.table));
    String delegated = t.delegated;
    if (delegated != null) setup.add(() -> ipBatch(t, "rule del from " + delegated + " lookup " + t.table));
  }

  private void publish() {
    List<SessionTunnel> live = new ArrayList<>();
    for (SessionTunnel t : bySession) if (t != null) live.add(t);
    active = live.toArray(SessionTunnel[]::new);
  }

  /**
   * The receive thread's fast path: a session frame carrying IPv6 for a session with a TUN goes to the TUN and
   * true is returned; anything else (discovery, LCP, unknown sessions, malformed) returns false for the
   * {@link LoadClient} to handle. RFC 2516 §4: Ethernet header, ver/type 0x11, code 0, session ID, length (of the
   * PPP payload including the 2-byte protocol field).
   */
  public boolean downstream(MemorySegment ring, long offset, int length) {
    if (length < HEADER || ring.get(BE16, offset + 12) != (short) 0x8864 || ring.get(ValueLayout.JAVA_BYTE, offset + 14) != 0x11
        || ring.get(ValueLayout.JAVA_BYTE, offset + 15) != 0 || ring.get(BE16, offset + 20) != 0x0057) {
      return false;
    }
    SessionTunnel t = bySession[ring.get(BE16, offset + 16) & 0xffff];
    if (t == null) return false;
    long dst = (ring.get(BE32, offset) & 0xffffffffL) << 16 | (ring.get(BE16, offset + 4) & 0xffff);
    int ipv6 = (ring.get(BE16, offset + 18) & 0xffff) - 2;
    if (dst != t.subscriberMac || ipv6 < 0 || HEADER + ipv6 > length) return false;
    t.downPackets++;
    t.downBytes += ipv6;
    MemorySegment.copy(ring, offset + HEADER, downBuffer, 0, ipv6);
    if (t.address == null && !t.raQueued && ipv6 >= 56 && downBuffer.get(ValueLayout.JAVA_BYTE, 6) == SlaacPrefix.ICMPV6
        && (downBuffer.get(ValueLayout.JAVA_BYTE, 40) & 0xff) == SlaacPrefix.ROUTER_ADVERTISEMENT) {
      t.raQueued = true; // one at a time; set-up clears it when this RA gave no address
      byte[] ra = downBuffer.asSlice(0, ipv6).toArray(ValueLayout.JAVA_BYTE); // once per session, not per packet
      setup.add(() -> routerAdvertisement(t, ra));
    }
    if (t.delegated == null && !t.pdQueued && ipv6 >= 52 && downBuffer.get(ValueLayout.JAVA_BYTE, 6) == 17
        && downBuffer.get(BE16, 42) == DelegatedPrefix.CLIENT_PORT) {
      t.pdQueued = true;
      byte[] reply = downBuffer.asSlice(0, ipv6).toArray(ValueLayout.JAVA_BYTE); // once per session
      setup.add(() -> delegation(t, reply));
    }
    try {
      if (t.queue.write(downBuffer, ipv6) < 0) t.tunWriteErrors++;
    } catch (NativeException e) {
      t.tunWriteErrors++; // EIO while the device is not up yet, EINVAL for a packet the kernel refuses
    }
    return true;
  }

  // ------------------------------------------------------------------ TUN thread (upstream)

  private void upstreamLoop() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment frame = arena.allocate(HEADER + 65536);
      MemorySegment payload = frame.asSlice(HEADER);
      MemorySegment fds = arena.allocate(8L * 1024, 4);
      SessionTunnel[] polled = new SessionTunnel[0];
      while (running) {
        // retired sessions first: each left the published table before it was queued, so the table read below
        // no longer holds it and its fd can be closed without a poll on it
        SessionTunnel gone = retiring.poll();
        SessionTunnel[] now = active;
        if (now != polled) {
          polled = now;
          if (fds.byteSize() < 8L * polled.length) fds = arena.allocate(8L * polled.length * 2, 4);
          for (int i = 0; i < polled.length; i++) {
            fds.set(ValueLayout.JAVA_INT, 8L * i, polled[i].queue.fd());
            fds.set(ValueLayout.JAVA_SHORT, 8L * i + 4, Libc.POLLIN);
          }
        }
        if (gone != null) gone.tun.close();
        sendControl(frame);
        if (polled.length == 0) {
          Thread.sleep(20);
          continue;
        }
        for (int i = 0; i < polled.length; i++) fds.set(ValueLayout.JAVA_SHORT, 8L * i + 6, (short) 0);
        int ready = Libc.poll(fds, polled.length, 20);
        if (ready <= 0) continue;
        for (int i = 0; i < polled.length; i++) {
          if ((fds.get(ValueLayout.JAVA_SHORT, 8L * i + 6) & Libc.POLLIN) == 0) continue;
          SessionTunnel t = polled[i];
          // a bounded batch per session per turn, so one busy session cannot starve the others
          for (int k = 0; k < 64; k++) {
            int n = t.queue.read(payload);
            if (n <= 0) break;
            sendUp(t, frame, n);
          }
        }
      }
      for (SessionTunnel gone; (gone = retiring.poll()) != null; ) gone.tun.close();
    } catch (Throwable e) {
      if (running) {
        failure = e.toString();
        out.println("pppoe-client: tun thread failed: " + e);
      }
    }
  }

  private void sendUp(SessionTunnel t, MemorySegment frame, int ipv6) throws NativeException {
    MemorySegment.copy(t.header, 0, frame, ValueLayout.JAVA_BYTE, 0, HEADER);
    frame.set(BE16, 18, (short) (ipv6 + 2));
    t.upPackets++;
    t.upBytes += ipv6;
    if (!sendSocket.send(frame, HEADER + ipv6)) t.sendFailures++;
  }

  private void sendControl(MemorySegment frame) throws NativeException {
    for (byte[] p; (p = controlPackets.poll()) != null; ) {
      SessionTunnel t = controlSessions.poll();
      if (t == null || t.ended != null) continue;
      MemorySegment.copy(p, 0, frame, ValueLayout.JAVA_BYTE, HEADER, p.length);
      sendUp(t, frame, p.length);
    }
  }

  // ------------------------------------------------------------------ set-up thread (ip, RS, RA)

  private void setupLoop() {
    try {
      while (running || !setup.isEmpty()) {
        Runnable r = setup.poll(200, TimeUnit.MILLISECONDS);
        if (r != null) r.run();
        long now = System.nanoTime();
        for (SessionTunnel t : active) {
          if (t.configured && t.address == null && t.rsSent < MAX_RS && now >= t.rsDueNanos) solicit(t, now);
          if (t.address != null && t.delegated == null && t.pdDueNanos >= 0 && t.pdSent < MAX_RS && now >= t.pdDueNanos) {
            requestPrefix(t, now);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Prepares the TUN but leaves it down: the kernel sends MLD reports as soon as an IPv6 link comes up, and the
   * access concentrator may not have opened its side yet (IPv6CP opens on the two sides one frame apart), so it would
   * drop them uncounted. The AC's RA proves its side is up; the link comes up then. Without an RA in 1 s we solicit.
   */
  private void configure(SessionTunnel t) {
    if (t.ended != null) return;
    try {
      // the RA is not for the kernel (it would add default routes to the main table and manage lifetimes): the
      // client owns its sessions' addresses and routes
      java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/sys/net/ipv6/conf", t.device, "accept_ra"), "0");
    } catch (IOException e) {
      out.println("pppoe-client: accept_ra on " + t.device + ": " + e);
    }
    t.rsDueNanos = System.nanoTime() + RS_INTERVAL;
    t.configured = true;
  }

  private void solicit(SessionTunnel t, long now) {
    t.rsSent++;
    t.rsDueNanos = now + RS_INTERVAL;
    controlSessions.add(t);
    controlPackets.add(SlaacPrefix.routerSolicitation(t.localInterfaceId));
  }

  private void routerAdvertisement(SessionTunnel t, byte[] ra) {
    byte[] p64 = SlaacPrefix.autonomousPrefix(ra, ra.length);
    if (p64 == null || t.address != null || t.ended != null) {
      t.raQueued = false;
      return;
    }
    String address = SlaacPrefix.address(p64, t.localInterfaceId);
    // no kernel-made link-local (it would take a random IID): ours is fe80::IID from IPv6CP (RFC 5072 §5)
    if (ipBatch(t, "link set dev " + t.device + " addrgenmode none",
        "link set dev " + t.device + " mtu " + MTU + " up",
        "addr replace " + SlaacPrefix.linkLocal(t.localInterfaceId) + "/64 dev " + t.device + " nodad",
        "addr replace " + address + "/64 dev " + t.device + " nodad",
        "route replace ::/0 dev " + t.device + " table " + t.table,
        "rule add from " + address + " lookup " + t.table)) {
      t.address = address;
      out.println("pppoe-client: tun index=" + t.index + " user=" + t.user + " tun=" + t.device + " sid=" + t.sessionId
          + " address=" + address + " table=" + t.table);
      requestPrefix(t, System.nanoTime());
    } else {
      t.raQueued = false;
    }
  }

  /** RFC 8415 Solicit with Rapid Commit for an IA_PD, once the link has its address (the AC is up then). */
  private void requestPrefix(SessionTunnel t, long now) {
    t.pdSent++;
    t.pdDueNanos = now + RS_INTERVAL;
    controlSessions.add(t);
    controlPackets.add(DelegatedPrefix.solicit(t.localInterfaceId, t.macBytes, t.index * 16 + t.pdSent));
  }

  /**
   * The delegated prefix: the client is the subscriber's router, so the prefix's first address goes on the TUN
   * (a /128, for {@code -B}) and a rule sends everything from the prefix through this session.
   */
  private void delegation(SessionTunnel t, byte[] reply) {
    net.tinyisp.common.net.IpPrefix prefix = DelegatedPrefix.fromReply(reply, reply.length);
    if (prefix == null || t.delegated != null || t.ended != null) {
      t.pdQueued = false;
      return;
    }
    byte[] first = prefix.network();
    first[15] |= 1;
    String address;
    try {
      address = java.net.InetAddress.getByAddress(first).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // 16 bytes are always an address
    }
    if (ipBatch(t, "addr replace " + address + "/128 dev " + t.device + " nodad",
        "rule add from " + prefix + " lookup " + t.table)) {
      t.delegated = prefix.toString();
      t.pdDueNanos = -1;
      out.println("pppoe-client: pd index=" + t.index + " user=" + t.user + " tun=" + t.device + " prefix=" + prefix
          + " pd_address=" + address);
    } else {
      t.pdQueued = false;
    }
  }

  private boolean ipBatch(SessionTunnel t, String... commands) {
    try {
      Process p = new ProcessBuilder("ip", "-6", "-batch", "-").redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        out.println("pppoe-client: ip for " + t.device + " failed: " + text);
        return false;
      }
      return true;
    } catch (IOException e) {
      out.println("pppoe-client: ip for " + t.device + " failed: " + e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // ------------------------------------------------------------------ reporting and shutdown

  /** Sessions with a routable address so far. */
  public int addressed() {
    int n = 0;
    for (SessionTunnel t : active) if (t.address != null) n++;
    return n;
  }

  /** Frames the kernel dropped because the receive ring was full (reported in the totals line). */
  public void ringDrops(long drops) {
    ringDrops += drops;
  }

  public String failure() {
    return failure;
  }

  /** Every session still up ends here ("hang-up"), their counters are printed, the threads stop, the TUNs close. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    for (SessionTunnel t : bySession) if (t != null) down(t, "hang-up");
    running = false;
    join(upThread);
    join(setupThread);
    if (sendSocket != null) sendSocket.close();
    for (SessionTunnel gone; (gone = retiring.poll()) != null; ) gone.tun.close();
    long[] sum = new long[4];
    synchronized (all) {
      for (SessionTunnel t : all) {
        sum[0] += t.upPackets;
        sum[1] += t.upBytes;
        sum[2] += t.downPackets;
        sum[3] += t.downBytes;
      }
    }
    out.printf("pppoe-client: tun totals up_packets=%d up_bytes=%d down_packets=%d down_bytes=%d ring_drops=%d%n",
        sum[0], sum[1], sum[2], sum[3], ringDrops);
    downArena.close();
  }

  private static void join(Thread t) {
    if (t == null) return;
    try {
      t.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
