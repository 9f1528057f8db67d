package net.tinyisp.nat64.steps;

/**
 * Where translated packets and the ICMP errors the gateway originates go (the TUN device; a list in tests). Every
 * buffer has at least {@link PacketContext#HEADROOM_MIN} free bytes before {@code off}, so the I/O layer can put
 * its virtio-net header in front without a copy. {@code gsoSize} &gt; 0 marks a super-packet for the kernel to
 * segment; {@code partialChecksum} says the transport checksum holds only the pseudo-header sum.
 */
@FunctionalInterface
public interface PacketSink {
  void emit(byte[] buf, int off, int len, int gsoSize, boolean partialChecksum);
}
