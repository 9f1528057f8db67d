package net.tinyisp.shaping;

/**
 * The flow hash {@link HierarchicalShaper#enqueue} wants, computed from an IP packet's header: source, destination,
 * protocol and, for TCP, UDP and SCTP, the two ports (RFC 8290 §4.1.1 hashes the 5-tuple). IPv6 packets with
 * extension headers hash on the addresses, the next header and the flow label instead (RFC 6437 §2: the label is
 * set per flow); IPv4 fragments other than the first hash without ports (they carry none). So every packet of a
 * flow lands in the same queue and is never reordered. Mixing happens in the shaper ({@code fmix32}); this only has
 * to be cheap and never allocate.
 */
public final class FlowHash {

    private static final int IPV6_HEADER = 40;
    private static final int IPV4_HEADER = 20;

    private FlowHash() {}

    /** Hash of the IPv4 or IPv6 packet in {@code p[0..length)} (by its version field); 0 when too short to tell. */
    public static int ip(byte[] p, int length) {
        if (length >= IPV4_HEADER && (p[0] & 0xf0) == 0x40) {
            return ipv4(p, length);
        }
        return ipv6(p, length);
    }

    /** Hash of the IPv6 packet in {@code p[0..length)}; a packet shorter than the fixed header hashes to 0. */
    public static int ipv6(byte[] p, int length) {
        if (length < IPV6_HEADER) {
            return 0;
        }
        int next = p[6] & 0xff;
        int h = next;
        for (int i = 8; i < 40; i += 4) {
            h = 31 * h + word(p, i);
        }
        boolean ports = hasPorts(next) && length >= IPV6_HEADER + 4;
        int tail = ports ? word(p, IPV6_HEADER) : word(p, 0) & 0x000f_ffff; // ports, else the flow label
        return 31 * h + tail;
    }

    /** Hash of the IPv4 packet in {@code p[0..length)} (RFC 791 header, IHL words long). */
    public static int ipv4(byte[] p, int length) {
        if (length < IPV4_HEADER) {
            return 0;
        }
        int protocol = p[9] & 0xff;
        int h = 31 * (31 * protocol + word(p, 12)) + word(p, 16);
        int ihl = (p[0] & 0x0f) * 4;
        boolean firstFragment = ((p[6] & 0x1f) | p[7]) == 0; // fragment offset 0: the ports are in this one
        if (hasPorts(protocol) && firstFragment && ihl >= IPV4_HEADER && length >= ihl + 4) {
            h = 31 * h + word(p, ihl);
        }
        return h;
    }

    private static boolean hasPorts(int protocol) {
        return protocol == 6 || protocol == 17 || protocol == 132;
    }

    private static int word(byte[] p, int i) {
        return (p[i] & 0xff) << 24 | (p[i + 1] & 0xff) << 16 | (p[i + 2] & 0xff) << 8 | p[i + 3] & 0xff;
    }
}
