package net.tinyisp.shaping;

/**
 * One session's upload policer (tc's {@code police rate R burst B}, RFC 2697's single-rate marker reduced to two
 * colours): a packet conforms when the bucket holds its whole length, and then takes the tokens; otherwise it
 * exceeds and takes nothing. No queue: the caller forwards conforming packets and drops the others (counting
 * {@link DropReason#POLICED}). Not thread-safe.
 */
public final class Policer {

    private final TokenBucket bucket;
    private long conformPackets;
    private long conformBytes;
    private long exceedPackets;
    private long exceedBytes;

    public Policer(long rateBps, long burstBytes, long nowNanos) {
        this.bucket = new TokenBucket(rateBps, burstBytes, nowNanos);
    }

    /** True when the packet is within the profile (forward it); false when it exceeds (drop it). */
    public boolean conforms(int lengthBytes, long nowNanos) {
        bucket.refill(nowNanos);
        if (lengthBytes >= 0 && lengthBytes <= TokenBucket.MAX_PACKET_BYTES && bucket.covers(lengthBytes)) {
            bucket.charge(lengthBytes);
            conformPackets++;
            conformBytes += lengthBytes;
            return true;
        }
        exceedPackets++;
        exceedBytes += lengthBytes;
        return false;
    }

    /** CoA: applies from {@code nowNanos}; tokens earned so far are kept, capped at the new burst. */
    public void setRate(long rateBps, long burstBytes, long nowNanos) {
        bucket.setRate(rateBps, burstBytes, nowNanos);
    }

    public long rateBps() {
        return bucket.rateBps();
    }

    public long burstBytes() {
        return bucket.burstBytes();
    }

    public long conformPackets() {
        return conformPackets;
    }

    public long conformBytes() {
        return conformBytes;
    }

    public long exceedPackets() {
        return exceedPackets;
    }

    public long exceedBytes() {
        return exceedBytes;
    }
}
