package net.tinyisp.shaping;

/**
 * The flow hash {@link HierarchicalShaper#enqueue} wants, computed from an IPv6 packet's header: source, destination,
 * next header and, for TCP, UDP and SCTP right after the fixed header, the two ports (RFC 8290 §4.1.1 hashes the
 * 5-tuple). Packets with extension headers hash on the addresses, the next header and the flow label instead (RFC
 * 6437 §2: the label is set per flow), so one flow still stays in one queue. Mixing happens in the shaper
 * ({@code fmix32}); this only has to be cheap and never allocate.
 */
public final class FlowHash {

    private static final int IPV6_HEADER = 40;

    private FlowHash() {}

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
        boolean ports = (next == 6 || next == 17 || next == 132) && length >= IPV6_HEADER + 4;
        int tail = ports ? word(p, IPV6_HEADER) : word(p, 0) & 0x000f_ffff; // ports, else the flow label
        return 31 * h + tail;
    }

    private static int word(byte[] p, int i) {
        return (p[i] & 0xff) << 24 | (p[i + 1] & 0xff) << 16 | (p[i + 2] & 0xff) << 8 | p[i + 3] & 0xff;
    }
}
