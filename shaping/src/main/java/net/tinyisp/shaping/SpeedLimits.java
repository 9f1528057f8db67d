package net.tinyisp.shaping;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * A session's speed limits read from the RADIUS reply's vendor attributes, given as attribute name to value text
 * (the radius module decodes them; this class needs no RADIUS dependency). Directions are the subscriber's:
 * {@code upload} is traffic from the subscriber (policed), {@code download} is traffic to it (shaped). A direction
 * no attribute speaks about is {@code null}: the plan's default applies.
 *
 * <p>Units, each as its vendor documents it:
 * <ul>
 *   <li>{@code RP-Upstream-Speed-Limit}, {@code RP-Downstream-Speed-Limit} (Roaring Penguin, vendor 10055, attrs 1
 *       and 2, integer): kbit/s, as rp-pppoe's and accel-ppp's shaper scripts use them (1 kbit = 1000 bit).</li>
 *   <li>{@code WISPr-Bandwidth-Max-Up}, {@code WISPr-Bandwidth-Max-Down} (Wi-Fi Alliance WISPr, integer): bit/s.</li>
 *   <li>{@code Mikrotik-Rate-Limit} (string): {@code rx-rate[/tx-rate] [rx-burst-rate[/tx-burst-rate]
 *       [rx-burst-threshold[/tx-burst-threshold] [rx-burst-time[/tx-burst-time] [priority]
 *       [rx-rate-min[/tx-rate-min]]]]]} "from the point of view of the router", so rx is the client's upload and tx
 *       its download. Rates take an optional {@code k} (10^3), {@code M} (10^6) or {@code G} (10^9) suffix; a
 *       missing tx value repeats the rx value; burst thresholds default to the rates, burst times to 1 s, minimum
 *       rates to the rates (MikroTik's RADIUS client manual).</li>
 * </ul>
 *
 * <p>Precedence, per direction: Roaring Penguin, then Mikrotik-Rate-Limit, then WISPr. Roaring Penguin's
 * attributes are the ones written for a PPPoE access concentrator like this one (rp-pppoe, accel-ppp) and carry a
 * single unambiguous number; Mikrotik-Rate-Limit is the most specific about bursts and is kept by operators moving
 * off a MikroTik NAS; WISPr is a generic hotspot attribute, often a site-wide default. A value of 0 means "no
 * limit from this attribute" (rp-pppoe's convention) and the next one in line is used.
 *
 * <p>The ceiling for borrowing travels in Mikrotik-Rate-Limit, as on a MikroTik BNG (its queue's max-limit is the
 * rate field, limit-at the rate-min field, HTB's ceil and rate): {@code ceilBps} is Mikrotik's rate whenever
 * Mikrotik-Rate-Limit speaks about the direction, even when a Roaring Penguin attribute wins the rate, so a RADIUS
 * server may send {@code RP-Downstream-Speed-Limit = 10000} (the plan: the flat shaper's rate and the guarantee)
 * with {@code Mikrotik-Rate-Limit = "10M/50M 0/0 0/0 0/0 8 5M/10M"} (ceilings up 10M, down 50M; rate-min = plan).
 * Without a higher ceiling, {@code ceilBps} is the rate: no borrowing.
 */
public record SpeedLimits(DirectionLimit upload, DirectionLimit download) {

    public static final String RP_UPSTREAM = "RP-Upstream-Speed-Limit";
    public static final String RP_DOWNSTREAM = "RP-Downstream-Speed-Limit";
    public static final String WISPR_UP = "WISPr-Bandwidth-Max-Up";
    public static final String WISPR_DOWN = "WISPr-Bandwidth-Max-Down";
    public static final String MIKROTIK_RATE_LIMIT = "Mikrotik-Rate-Limit";

    private static final int MAX_VALUE_CHARS = 253; // a RADIUS attribute value is at most 253 octets (RFC 2865 §5)
    private static final long DEFAULT_BURST_TIME_NANOS = 1_000_000_000L;

    /** Where a direction's limit came from. */
    public enum Source { ROARING_PENGUIN, MIKROTIK, WISPR }

    /**
     * One direction's limit, in bit/s. {@code rateBps} is what a flat per-session shaper or policer enforces.
     * {@code minRateBps} is the guaranteed rate of a class in the {@link HierarchicalShaper} (MikroTik's
     * "limit-at"), equal to the rate unless Mikrotik-Rate-Limit gave a rate-min. {@code ceilBps} is the most the
     * class may borrow up to (MikroTik's "max-limit"), at least the rate (see the class comment). The burst fields
     * are MikroTik's (0 when absent): the session may run at {@code burstRateBps} while its average over {@code
     * burstTimeNanos} stays below {@code burstThresholdBps}.
     */
    public record DirectionLimit(long rateBps, long minRateBps, long ceilBps, long burstRateBps,
                                 long burstThresholdBps, long burstTimeNanos, int priority, Source source) {

        public DirectionLimit {
            if (rateBps < 1 || rateBps > TokenBucket.MAX_RATE_BPS) {
                throw new IllegalArgumentException("rate must be 1.." + TokenBucket.MAX_RATE_BPS + " bit/s, got " + rateBps);
            }
            if (minRateBps < 1 || minRateBps > rateBps) {
                throw new IllegalArgumentException("minimum rate must be 1.." + rateBps + " bit/s, got " + minRateBps);
            }
            if (ceilBps < rateBps || ceilBps > TokenBucket.MAX_RATE_BPS) {
                throw new IllegalArgumentException("ceiling must be " + rateBps + ".." + TokenBucket.MAX_RATE_BPS
                        + " bit/s, got " + ceilBps);
            }
        }

        static DirectionLimit plain(long rateBps, Source source) {
            return new DirectionLimit(rateBps, rateBps, rateBps, 0, 0, 0, 0, source);
        }

        /** The same limit with its ceiling raised to {@code ceil} (never lowered below the rate). */
        DirectionLimit withCeiling(long ceil) {
            return new DirectionLimit(rateBps, minRateBps, Math.max(rateBps, ceil), burstRateBps, burstThresholdBps,
                    burstTimeNanos, priority, source);
        }

        /**
         * The token-bucket burst (bytes) that approximates MikroTik's burst: from idle, MikroTik lets the session
         * run at burst-rate for burst-time x threshold / burst-rate seconds (its manual's 256k/512k/192k/8s example
         * gives 3 s), which is (burst-rate - rate) x that time of extra bytes. The bucket delivers those extra bytes
         * at line rate rather than at burst-rate (see README, Deviations). {@code fallback} when there is no burst.
         */
        public long burstBytes(long fallback) {
            if (burstRateBps <= rateBps || burstTimeNanos == 0) {
                return fallback;
            }
            double seconds = burstTimeNanos / 1e9 * burstThresholdBps / burstRateBps;
            long bytes = (long) ((burstRateBps - rateBps) * seconds / 8);
            return Math.clamp(bytes, Math.max(1, fallback), TokenBucket.MAX_BURST_BYTES);
        }
    }

    /** No attribute about speed: both directions follow the plan. */
    public static final SpeedLimits NONE = new SpeedLimits(null, null);

    /**
     * Reads the limits from a RADIUS reply's attributes (names compared case-insensitively, other attributes
     * ignored). A malformed value fails with {@link IllegalArgumentException} naming the attribute; the caller
     * decides whether that rejects the session or falls back to the plan.
     */
    public static SpeedLimits fromAttributes(Map<String, String> attributes) {
        String rpUp = null;
        String rpDown = null;
        String wisprUp = null;
        String wisprDown = null;
        String mikrotik = null;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                continue;
            }
            String name = e.getKey().trim();
            if (name.equalsIgnoreCase(RP_UPSTREAM)) {
                rpUp = e.getValue();
            } else if (name.equalsIgnoreCase(RP_DOWNSTREAM)) {
                rpDown = e.getValue();
            } else if (name.equalsIgnoreCase(WISPR_UP)) {
                wisprUp = e.getValue();
            } else if (name.equalsIgnoreCase(WISPR_DOWN)) {
                wisprDown = e.getValue();
            } else if (name.equalsIgnoreCase(MIKROTIK_RATE_LIMIT)) {
                mikrotik = e.getValue();
            }
        }
        DirectionLimit[] mt = mikrotik == null ? new DirectionLimit[2] : parseMikrotik(mikrotik);
        DirectionLimit up = withMikrotikCeiling(firstOf(integer(RP_UPSTREAM, rpUp, 1000, Source.ROARING_PENGUIN),
                mt[0], integer(WISPR_UP, wisprUp, 1, Source.WISPR)), mt[0]);
        DirectionLimit down = withMikrotikCeiling(firstOf(integer(RP_DOWNSTREAM, rpDown, 1000,
                Source.ROARING_PENGUIN), mt[1], integer(WISPR_DOWN, wisprDown, 1, Source.WISPR)), mt[1]);
        return new SpeedLimits(up, down);
    }

    /** The ceiling comes from Mikrotik-Rate-Limit (its max-limit) whichever attribute won the rate. */
    private static DirectionLimit withMikrotikCeiling(DirectionLimit winner, DirectionLimit mikrotik) {
        if (winner == null || mikrotik == null || winner == mikrotik) {
            return winner;
        }
        return winner.withCeiling(mikrotik.rateBps());
    }

    private static DirectionLimit firstOf(DirectionLimit... candidates) {
        for (DirectionLimit c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** An integer attribute in {@code unit} bit/s; 0 means no limit (null). */
    private static DirectionLimit integer(String attribute, String text, long unit, Source source) {
        if (text == null) {
            return null;
        }
        String t = bounded(attribute, text).trim();
        if (t.isEmpty() || t.length() > 19 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(attribute + ": expected a non-negative integer in "
                    + (unit == 1 ? "bit/s" : "kbit/s") + ", got '" + t + "'");
        }
        long value = Long.parseLong(t);
        if (value == 0) {
            return null;
        }
        if (value > TokenBucket.MAX_RATE_BPS / unit) {
            throw new IllegalArgumentException(attribute + ": " + t + (unit == 1 ? " bit/s" : " kbit/s")
                    + " is above " + TokenBucket.MAX_RATE_BPS + " bit/s");
        }
        return DirectionLimit.plain(value * unit, source);
    }

    private static String bounded(String attribute, String text) {
        if (text.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException(attribute + ": value longer than " + MAX_VALUE_CHARS + " characters");
        }
        return text;
    }

    /** Returns {upload, download}; a rate of 0 leaves that direction unlimited (null). */
    static DirectionLimit[] parseMikrotik(String text) {
        String a = MIKROTIK_RATE_LIMIT;
        String[] fields = bounded(a, text).trim().split("\\s+");
        if (fields.length == 0 || fields[0].isEmpty() || fields.length > 6) {
            throw new IllegalArgumentException(a + ": expected 'rx-rate[/tx-rate] [rx-burst-rate[/tx-burst-rate] "
                    + "[rx-burst-threshold[/tx-burst-threshold] [rx-burst-time[/tx-burst-time] [priority] "
                    + "[rx-rate-min[/tx-rate-min]]]]]', got '" + text.trim() + "'");
        }
        long[] rate = pair(a, "rate", fields[0], false);
        long[] burst = fields.length > 1 ? pair(a, "burst-rate", fields[1], false) : new long[2];
        long[] threshold = fields.length > 2 ? pair(a, "burst-threshold", fields[2], false) : rate.clone();
        long[] time = fields.length > 3 ? pair(a, "burst-time", fields[3], true)
                : new long[] {DEFAULT_BURST_TIME_NANOS, DEFAULT_BURST_TIME_NANOS};
        int priority = 0;
        if (fields.length > 4) {
            String p = fields[4];
            if (!p.matches("[1-8]")) {
                throw new IllegalArgumentException(a + ": priority must be 1..8, got '" + p + "'");
            }
            priority = p.charAt(0) - '0';
        }
        long[] min = fields.length > 5 ? pair(a, "rate-min", fields[5], false) : rate.clone();
        DirectionLimit[] out = new DirectionLimit[2];
        for (int d = 0; d < 2; d++) {
            if (rate[d] == 0) {
                continue;
            }
            long minRate = min[d] == 0 ? rate[d] : min[d];
            if (minRate > rate[d]) {
                throw new IllegalArgumentException(a + ": " + (d == 0 ? "rx" : "tx") + "-rate-min " + minRate
                        + " exceeds the rate " + rate[d] + " (MikroTik: min rates cannot exceed the rates)");
            }
            long burstRate = burst[d];
            out[d] = new DirectionLimit(rate[d], minRate, rate[d], burstRate, burstRate == 0 ? 0 : threshold[d],
                    burstRate == 0 ? 0 : time[d], priority, Source.MIKROTIK);
        }
        return out;
    }

    /** {@code rx[/tx]}; a missing tx repeats rx (MikroTik manual). Times in nanoseconds, rates in bit/s. */
    private static long[] pair(String attribute, String what, String field, boolean time) {
        int slash = field.indexOf('/');
        if (slash != field.lastIndexOf('/') || slash == 0 || slash == field.length() - 1) {
            throw new IllegalArgumentException(attribute + ": " + what + " must be 'rx' or 'rx/tx', got '" + field + "'");
        }
        String rx = slash < 0 ? field : field.substring(0, slash);
        String tx = slash < 0 ? rx : field.substring(slash + 1);
        return time
                ? new long[] {seconds(attribute, what, rx), seconds(attribute, what, tx)}
                : new long[] {rate(attribute, what, rx), rate(attribute, what, tx)};
    }

    /** MikroTik rate text: digits with an optional fraction and a k/M/G suffix (decimal multiples). */
    static long rate(String attribute, String what, String text) {
        if (!text.matches("[0-9]{1,12}(\\.[0-9]{1,9})?[kKmMgG]?")) {
            throw new IllegalArgumentException(attribute + ": " + what + " must be a number with an optional k, M or G "
                    + "suffix, got '" + text + "'");
        }
        char last = text.charAt(text.length() - 1);
        long multiplier = switch (Character.toLowerCase(last)) {
            case 'k' -> 1_000L;
            case 'm' -> 1_000_000L;
            case 'g' -> 1_000_000_000L;
            default -> 1L;
        };
        String number = multiplier == 1 ? text : text.substring(0, text.length() - 1);
        BigDecimal bps = new BigDecimal(number).multiply(BigDecimal.valueOf(multiplier));
        if (bps.compareTo(BigDecimal.valueOf(TokenBucket.MAX_RATE_BPS)) > 0) {
            throw new IllegalArgumentException(attribute + ": " + what + " " + text + " is above "
                    + TokenBucket.MAX_RATE_BPS + " bit/s");
        }
        if (bps.signum() > 0 && bps.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException(attribute + ": " + what + " " + text + " is below 1 bit/s");
        }
        return bps.longValue(); // a fraction of a bit per second is dropped
    }

    /** MikroTik burst time: whole seconds, optionally written with an {@code s} suffix. */
    private static long seconds(String attribute, String what, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.endsWith("s")) {
            t = t.substring(0, t.length() - 1);
        }
        if (!t.matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException(attribute + ": " + what + " must be whole seconds, got '" + text + "'");
        }
        return Long.parseLong(t) * 1_000_000_000L;
    }

    /**
     * The download class for the {@link HierarchicalShaper}: guaranteed = the minimum rate (the rate itself unless
     * MikroTik gave a rate-min), ceiling = the larger of the limit's ceiling and the plan's.
     */
    public static SubscriberPlan planFor(DirectionLimit limit, SubscriberPlan planDefault) {
        if (limit == null) {
            return planDefault;
        }
        long ceil = Math.max(limit.ceilBps(), planDefault.ceilBps());
        return SubscriberPlan.of(limit.minRateBps(), ceil);
    }

    /**
     * A rate written as MikroTik and tc write them: digits with an optional fraction and a {@code k}, {@code M} or
     * {@code G} suffix (decimal: 10^3, 10^6, 10^9), in bit/s; e.g. {@code 1G}, {@code 60M}, {@code 2048k}. For
     * configuration keys; {@code what} names the key in the error.
     */
    public static long parseRate(String what, String text) {
        long bps = rate(what, "rate", text == null ? "" : text.trim());
        if (bps < 1) {
            throw new IllegalArgumentException(what + ": a rate must be at least 1 bit/s, got '" + text + "'");
        }
        return bps;
    }
}
