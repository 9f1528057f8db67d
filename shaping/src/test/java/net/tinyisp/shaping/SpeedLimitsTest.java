package net.tinyisp.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import net.tinyisp.shaping.SpeedLimits.DirectionLimit;
import net.tinyisp.shaping.SpeedLimits.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpeedLimitsTest {

    /** The blog's reply: RP-Upstream-Speed-Limit = 5120, RP-Downstream-Speed-Limit = 10240 (kbit/s). */
    @Test
    void roaringPenguinIsKilobitsPerSecond() {
        var limits = SpeedLimits.fromAttributes(Map.of(
                "RP-Upstream-Speed-Limit", "5120", "RP-Downstream-Speed-Limit", "10240"));
        assertThat(limits.upload()).isEqualTo(DirectionLimit.plain(5_120_000, Source.ROARING_PENGUIN));
        assertThat(limits.download().rateBps()).isEqualTo(10_240_000);
    }

    @Test
    void wisprIsBitsPerSecond() {
        var limits = SpeedLimits.fromAttributes(Map.of(
                "WISPr-Bandwidth-Max-Up", "2000000", "wispr-bandwidth-max-down", "8000000"));
        assertThat(limits.upload().rateBps()).isEqualTo(2_000_000);
        assertThat(limits.download().rateBps()).isEqualTo(8_000_000);
        assertThat(limits.download().source()).isEqualTo(Source.WISPR);
    }

    /** MikroTik: "rx" is the client's upload, "tx" its download; 10M/5M is 10 up, 5 down. */
    @Test
    void mikrotikRxIsUploadTxIsDownload() {
        var limits = SpeedLimits.fromAttributes(Map.of("Mikrotik-Rate-Limit", "10M/5M"));
        assertThat(limits.upload().rateBps()).isEqualTo(10_000_000);
        assertThat(limits.download().rateBps()).isEqualTo(5_000_000);
        assertThat(limits.download().burstRateBps()).isZero();
        assertThat(limits.download().minRateBps()).isEqualTo(5_000_000);
    }

    /** The manual's examples: a missing tx repeats rx; thresholds default to the rates; burst time to 1 s. */
    @Test
    void mikrotikDefaultsFollowTheManual() {
        var one = SpeedLimits.parseMikrotik("512k");
        assertThat(one[0].rateBps()).isEqualTo(512_000);
        assertThat(one[1].rateBps()).isEqualTo(512_000);

        var three = SpeedLimits.parseMikrotik("256k 512k");
        assertThat(three[1].burstRateBps()).isEqualTo(512_000);
        assertThat(three[1].burstThresholdBps()).isEqualTo(256_000);
        assertThat(three[1].burstTimeNanos()).isEqualTo(1_000_000_000L);

        var five = SpeedLimits.parseMikrotik("256k/256k 512k/512k 192k/192k 8/8");
        assertThat(five[0].burstThresholdBps()).isEqualTo(192_000);
        assertThat(five[1].burstTimeNanos()).isEqualTo(8_000_000_000L);
        // the manual's graph: from idle the burst lasts 8 s x 192k / 512k = 3 s, 256 kbit/s above the rate
        assertThat(five[1].burstBytes(1514)).isEqualTo(256_000 * 3 / 8);
    }

    @Test
    void mikrotikAllFieldsIncludingPriorityAndMinRates() {
        var full = SpeedLimits.parseMikrotik("2M/10M 4M/20M 1M/5M 10s/10s 3 1M/4M");
        assertThat(full[0]).isEqualTo(new DirectionLimit(2_000_000, 1_000_000, 2_000_000, 4_000_000, 1_000_000,
                10_000_000_000L, 3, Source.MIKROTIK));
        assertThat(full[1]).isEqualTo(new DirectionLimit(10_000_000, 4_000_000, 10_000_000, 20_000_000, 5_000_000,
                10_000_000_000L, 3, Source.MIKROTIK));
        assertThat(SpeedLimits.parseMikrotik("1.5M/1G")[1].rateBps()).isEqualTo(1_000_000_000L);
        assertThat(SpeedLimits.parseMikrotik("1.5M/1G")[0].rateBps()).isEqualTo(1_500_000L);
    }

    /** Documented precedence, per direction: Roaring Penguin, then MikroTik, then WISPr; 0 means "no limit here". */
    @Test
    void precedenceIsRoaringPenguinThenMikrotikThenWispr() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("WISPr-Bandwidth-Max-Up", "1000000");
        all.put("WISPr-Bandwidth-Max-Down", "1000000");
        all.put("Mikrotik-Rate-Limit", "3M/4M");
        all.put("RP-Downstream-Speed-Limit", "20480");
        var limits = SpeedLimits.fromAttributes(all);
        assertThat(limits.download().source()).isEqualTo(Source.ROARING_PENGUIN);
        assertThat(limits.download().rateBps()).isEqualTo(20_480_000);
        assertThat(limits.upload().source()).isEqualTo(Source.MIKROTIK);
        assertThat(limits.upload().rateBps()).isEqualTo(3_000_000);

        all.put("RP-Downstream-Speed-Limit", "0");
        all.put("Mikrotik-Rate-Limit", "0/4M");
        limits = SpeedLimits.fromAttributes(all);
        assertThat(limits.download().source()).isEqualTo(Source.MIKROTIK);
        assertThat(limits.upload().source()).isEqualTo(Source.WISPR);
    }

    /**
     * The ceiling travels in Mikrotik-Rate-Limit (max-limit, with the plan as rate-min, as on a MikroTik BNG) next to
     * the Roaring Penguin rate, which still wins the rate: a flat shaper keeps the plan, the hierarchy borrows.
     */
    @Test
    void ceilingComesFromMikrotikEvenWhenRoaringPenguinWinsTheRate() {
        Map<String, String> reply = new LinkedHashMap<>();
        reply.put("RP-Upstream-Speed-Limit", "5000");
        reply.put("RP-Downstream-Speed-Limit", "10000");
        reply.put("Mikrotik-Rate-Limit", "10M/50M 0/0 0/0 0/0 8 5M/10M"); // rx = upload, tx = download
        var limits = SpeedLimits.fromAttributes(reply);
        assertThat(limits.download().source()).isEqualTo(Source.ROARING_PENGUIN);
        assertThat(limits.download().rateBps()).isEqualTo(10_000_000);
        assertThat(limits.download().minRateBps()).isEqualTo(10_000_000);
        assertThat(limits.download().ceilBps()).isEqualTo(50_000_000);
        assertThat(limits.upload().rateBps()).isEqualTo(5_000_000);
        assertThat(limits.upload().ceilBps()).isEqualTo(10_000_000);
        assertThat(SpeedLimits.planFor(limits.download(), SubscriberPlan.of(1, 1)))
                .isEqualTo(SubscriberPlan.of(10_000_000, 50_000_000));

        // Mikrotik alone: max-limit is the flat rate and the ceiling, rate-min the guarantee
        var mt = SpeedLimits.fromAttributes(Map.of("Mikrotik-Rate-Limit", "10M/50M 0/0 0/0 0/0 8 5M/10M"));
        assertThat(mt.download().rateBps()).isEqualTo(50_000_000);
        assertThat(mt.download().minRateBps()).isEqualTo(10_000_000);
        assertThat(mt.download().ceilBps()).isEqualTo(50_000_000);

        // a Mikrotik rate below the winning rate never lowers the ceiling under the rate
        var low = SpeedLimits.fromAttributes(Map.of("RP-Downstream-Speed-Limit", "20000", "Mikrotik-Rate-Limit", "1M/2M"));
        assertThat(low.download().ceilBps()).isEqualTo(20_000_000);
        // without Mikrotik there is no borrowing
        var rp = SpeedLimits.fromAttributes(Map.of("RP-Downstream-Speed-Limit", "20000"));
        assertThat(rp.download().ceilBps()).isEqualTo(20_000_000);
    }

    @Test
    void ratesInConfigurationTakeDecimalSuffixes() {
        assertThat(SpeedLimits.parseRate("uplink-down", "1G")).isEqualTo(1_000_000_000L);
        assertThat(SpeedLimits.parseRate("uplink-down", "60M")).isEqualTo(60_000_000L);
        assertThat(SpeedLimits.parseRate("uplink-down", "2048k")).isEqualTo(2_048_000L);
        assertThat(SpeedLimits.parseRate("uplink-down", "1500000")).isEqualTo(1_500_000L);
        assertThatThrownBy(() -> SpeedLimits.parseRate("uplink-down", "fast")).hasMessageContaining("uplink-down");
        assertThatThrownBy(() -> SpeedLimits.parseRate("uplink-down", "0")).hasMessageContaining("at least 1 bit/s");
    }

    @Test
    void noSpeedAttributesMeansThePlanApplies() {
        var limits = SpeedLimits.fromAttributes(Map.of("Framed-Protocol", "PPP"));
        assertThat(limits).isEqualTo(SpeedLimits.NONE);
        var plan = SubscriberPlan.of(10_000_000, 50_000_000);
        assertThat(SpeedLimits.planFor(limits.download(), plan)).isSameAs(plan);
        var mt = SpeedLimits.parseMikrotik("10M/20M 0 0 0 8 5M/8M");
        assertThat(SpeedLimits.planFor(mt[1], plan)).isEqualTo(SubscriberPlan.of(8_000_000, 50_000_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10X", "-5M", "1/2/3", "/5M", "5M/", "1M 2M 3M 4s 9", "1M 2M 3M x", "1M/5M 1 1 1 1 6M/1M",
        "0.1", "1 2 3 4 5 6 7", "999999999999G"})
    void malformedMikrotikFailsNamingTheAttribute(String value) {
        assertThatThrownBy(() -> SpeedLimits.fromAttributes(Map.of("Mikrotik-Rate-Limit", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Mikrotik-Rate-Limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "1.5", "99999999999999999999", "100000001"})
    void malformedRoaringPenguinFailsNamingTheAttribute(String value) {
        assertThatThrownBy(() -> SpeedLimits.fromAttributes(Map.of("RP-Downstream-Speed-Limit", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RP-Downstream-Speed-Limit");
    }
}
