package net.tinyisp.net.xdp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The XDP program that hands a service's UDP datagrams to its AF_XDP sockets: an Ethernet frame carrying IPv4 (no
 * options, not a fragment) or IPv6 (UDP as the first next header) to one of the given address:port pairs goes to the
 * XSKMAP entry of the receive queue it arrived on ({@code bpf_redirect_map}); everything else, and every frame of a
 * queue without a socket, passes to the kernel as if the program were not there (ARP, neighbour discovery, TCP, other
 * ports, fragments, IPv4 options, IPv6 extension headers). A wildcard address (0.0.0.0, ::) matches any address of
 * its family.
 *
 * <p>Byte order: loads read packet bytes little-endian, so constants are compared in the byte-swapped form of their
 * network order ({@link #le16}, {@link #le32}).
 */
public final class UdpSteeringProgram {
  static final int XDP_PASS = 2;
  static final int BPF_FUNC_REDIRECT_MAP = 51;
  private static final int ETH = 14;

  private UdpSteeringProgram() {}

  /** The program's instructions for {@code destinations}, redirecting through the XSKMAP {@code xskMapFd}. */
  public static byte[] instructions(List<InetSocketAddress> destinations, int xskMapFd) {
    if (destinations.isEmpty()) throw new IllegalArgumentException("no destinations to steer");
    BpfAssembler a = new BpfAssembler();
    a.ldx(BpfAssembler.W, BpfAssembler.R2, BpfAssembler.R1, 0) // xdp_md.data
        .ldx(BpfAssembler.W, BpfAssembler.R3, BpfAssembler.R1, 4) // xdp_md.data_end
        .movReg(BpfAssembler.R4, BpfAssembler.R2)
        .add(BpfAssembler.R4, ETH + 20 + 8)
        .jgtReg(BpfAssembler.R4, BpfAssembler.R3, "pass")
        .ldx(BpfAssembler.H, BpfAssembler.R5, BpfAssembler.R2, 12)
        .jne(BpfAssembler.R5, le16(0x0800), "not4");
    ipv4(a, destinations.stream().filter(d -> d.getAddress() instanceof Inet4Address).toList());
    a.label("not4").jne(BpfAssembler.R5, le16(0x86dd), "pass");
    ipv6(a, destinations.stream().filter(d -> d.getAddress() instanceof Inet6Address).toList());
    a.label("redirect")
        .ldx(BpfAssembler.W, BpfAssembler.R2, BpfAssembler.R1, 16) // xdp_md.rx_queue_index
        .loadMapFd(BpfAssembler.R1, xskMapFd)
        .mov(BpfAssembler.R3, XDP_PASS) // no socket on this queue: pass
        .call(BPF_FUNC_REDIRECT_MAP)
        .exit()
        .label("pass")
        .mov(BpfAssembler.R0, XDP_PASS)
        .exit();
    return a.assemble();
  }

  private static void ipv4(BpfAssembler a, List<InetSocketAddress> dests) {
    if (dests.isEmpty()) {
      a.ja("pass");
      return;
    }
    a.ldx(BpfAssembler.B, BpfAssembler.R5, BpfAssembler.R2, ETH) // version and IHL: 0x45, no options
        .jne(BpfAssembler.R5, 0x45, "pass")
        .ldx(BpfAssembler.B, BpfAssembler.R5, BpfAssembler.R2, ETH + 9)
        .jne(BpfAssembler.R5, 17, "pass")
        .ldx(BpfAssembler.H, BpfAssembler.R5, BpfAssembler.R2, ETH + 6) // MF and fragment offset must be 0
        .and(BpfAssembler.R5, le16(0x3fff))
        .jne(BpfAssembler.R5, 0, "pass");
    for (int i = 0; i < dests.size(); i++) destination(a, dests.get(i), "v4next" + i, ETH + 16, ETH + 20 + 2);
    a.ja("pass");
  }

  private static void ipv6(BpfAssembler a, List<InetSocketAddress> dests) {
    if (dests.isEmpty()) {
      a.ja("pass");
      return;
    }
    a.movReg(BpfAssembler.R4, BpfAssembler.R2)
        .add(BpfAssembler.R4, ETH + 40 + 8)
        .jgtReg(BpfAssembler.R4, BpfAssembler.R3, "pass")
        .ldx(BpfAssembler.B, BpfAssembler.R5, BpfAssembler.R2, ETH + 6) // next header: UDP, no extension headers
        .jne(BpfAssembler.R5, 17, "pass");
    for (int i = 0; i < dests.size(); i++) destination(a, dests.get(i), "v6next" + i, ETH + 24, ETH + 40 + 2);
    a.ja("pass");
  }

  /**
   * One destination: the destination address at {@code addressAt} (skipped for a wildcard) and the UDP destination
   * port at {@code portAt} must match, else on to the label {@code next}; a match jumps to "redirect".
   */
  private static void destination(BpfAssembler a, InetSocketAddress d, String next, int addressAt, int portAt) {
    byte[] addr = d.getAddress().getAddress();
    if (!d.getAddress().isAnyLocalAddress()) {
      for (int w = 0; w < addr.length; w += 4) {
        a.ldx(BpfAssembler.W, BpfAssembler.R5, BpfAssembler.R2, addressAt + w).jne32(BpfAssembler.R5, le32(addr, w), next);
      }
    }
    a.ldx(BpfAssembler.H, BpfAssembler.R5, BpfAssembler.R2, portAt)
        .jne(BpfAssembler.R5, le16(d.getPort()), next)
        .ja("redirect")
        .label(next);
  }

  /** A 16-bit network-order value as a little-endian load of its two bytes reads it. */
  static int le16(int networkValue) {
    return ((networkValue & 0xff) << 8) | ((networkValue >>> 8) & 0xff);
  }

  /** Four network-order bytes as a little-endian 32-bit load reads them. */
  static int le32(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }
}
