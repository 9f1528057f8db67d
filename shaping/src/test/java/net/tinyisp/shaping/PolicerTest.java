package net.tinyisp.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicerTest {

    private static final long SECOND = 1_000_000_000L;

    /**
     * Requirement: policer accuracy. An offered load of twice the rate, evenly spaced, for 10,000 conforming
     * packets' worth of time: the conforming throughput is the rate within ±1%.
     */
    @ParameterizedTest(name = "{0} bit/s, {1}-byte packets")
    @CsvSource({"64000, 64", "1000000, 1500", "100000000, 1500", "10000000000, 1500", "5120000, 576"})
    void conformingRateIsWithinOnePercentUnderTwiceTheLoad(long rateBps, int packetBytes) {
        long burst = Math.max(packetBytes * 2L, rateBps / 8 / 10_000); // 0.1 ms of rate
        var policer = new Policer(rateBps, burst, 0);
        long gap = packetBytes * 8L * SECOND / (2 * rateBps); // offered = 2 x rate
        long duration = 20_000 * gap;
        long conformBytesAfterBurst = 0;
        for (long now = 0; now < duration; now += gap) {
            boolean ok = policer.conforms(packetBytes, now);
            if (ok && now >= duration / 2) {
                conformBytesAfterBurst += packetBytes;
            }
        }
        double measured = conformBytesAfterBurst * 8.0 * SECOND / (duration - duration / 2);
        assertThat(measured / rateBps).isCloseTo(1.0, within(0.01));
        assertThat(policer.exceedPackets()).isPositive();
    }

    @Test
    void idlePolicerLetsExactlyTheBurstThrough() {
        var policer = new Policer(1_000_000, 10_000, 0);
        int passed = 0;
        for (int i = 0; i < 20; i++) {
            if (policer.conforms(1000, SECOND)) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(10);
        assertThat(policer.exceedBytes()).isEqualTo(10_000);
    }

    /** Requirement: CoA on the upload policer applies at once. */
    @Test
    void setRateAppliesAtOnce() {
        var policer = new Policer(1_000_000, 1500, 0);
        long now = 0;
        long passedAtOld = 0;
        for (; now < SECOND; now += 100_000) { // 10,000 packets/s of 1000 bytes offered = 80 Mbit/s
            if (policer.conforms(1000, now)) {
                passedAtOld += 1000;
            }
        }
        policer.setRate(8_000_000, 1500, SECOND);
        long passedAtNew = 0;
        for (; now < 2 * SECOND; now += 100_000) {
            if (policer.conforms(1000, now)) {
                passedAtNew += 1000;
            }
        }
        assertThat(passedAtOld * 8 / 1e6).isCloseTo(1.0, within(0.01));
        assertThat(passedAtNew * 8 / 8e6).isCloseTo(1.0, within(0.01));
    }
}
