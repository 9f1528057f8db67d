package net.tinyisp.shaping.bench;

import java.lang.management.ManagementFactory;

/**
 * The {@link ShapingBenchmark} operations timed by the thread's own CPU time instead of the wall clock: on a machine
 * shared with other jobs JMH's average time includes the time the thread waited for a core, CPU time does not.
 * Several rounds of a fixed number of packets per case after a warm-up; prints the median and the spread of the
 * rounds in ns of CPU per packet. Not a test; {@code bench/shaping/run.sh --cpu}.
 */
public final class ShapingCpuCost {

    private static final int PACKETS = 2_000_000;
    private static final int ROUNDS = 7;

    public static void main(String[] args) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.printf("%-14s %8s %14s %10s %10s%n", "benchmark", "sessions", "cpu ns/packet", "min", "max");
        for (String bench : new String[] {"hierarchical", "tbf", "policer"}) {
            for (int sessions : new int[] {1, 100, 10_000}) {
                var b = new ShapingBenchmark();
                b.sessions = sessions;
                b.setUp();
                long sink = 0;
                double[] perPacket = new double[ROUNDS];
                for (int round = -2; round < ROUNDS; round++) { // two warm-up rounds for the JIT
                    long before = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < PACKETS; i++) {
                        sink += switch (bench) {
                            case "hierarchical" -> b.hierarchical();
                            case "tbf" -> b.tbf();
                            default -> b.policer() ? 1 : 0;
                        };
                    }
                    if (round >= 0) {
                        perPacket[round] = (threads.getCurrentThreadCpuTime() - before) / (double) PACKETS;
                    }
                }
                java.util.Arrays.sort(perPacket);
                System.out.printf("%-14s %8d %14.1f %10.1f %10.1f%s%n", bench, sessions, perPacket[ROUNDS / 2],
                        perPacket[0], perPacket[ROUNDS - 1], sink == 42 ? " " : "");
            }
        }
    }
}
