package net.tinyisp.shaping;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;

/**
 * The speed attributes come from the network (a RADIUS reply, a CoA-Request): whatever the text, parsing either
 * yields valid limits or fails with IllegalArgumentException. Runs its seeds quickly under plain {@code verify};
 * fuzz for real with {@code JAZZER_FUZZ=1}.
 */
class SpeedLimitsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parsingFailsOnlyWithIllegalArgument(FuzzedDataProvider data) {
        String name = data.pickValue(new String[] {SpeedLimits.MIKROTIK_RATE_LIMIT, SpeedLimits.RP_DOWNSTREAM,
            SpeedLimits.RP_UPSTREAM, SpeedLimits.WISPR_DOWN, SpeedLimits.WISPR_UP});
        String value = data.consumeRemainingAsString();
        try {
            SpeedLimits limits = SpeedLimits.fromAttributes(Map.of(name, value));
            for (SpeedLimits.DirectionLimit d : new SpeedLimits.DirectionLimit[] {limits.upload(), limits.download()}) {
                if (d != null) {
                    long burst = d.burstBytes(1514);
                    if (d.rateBps() < 1 || burst < 1 || burst > TokenBucket.MAX_BURST_BYTES) {
                        throw new IllegalStateException("out of range: " + d);
                    }
                    SpeedLimits.planFor(d, SubscriberPlan.of(1_000_000, 2_000_000));
                }
            }
        } catch (IllegalArgumentException expected) {
            // malformed text is refused with a message; anything else is a bug
        }
    }
}
