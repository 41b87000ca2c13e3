package io.conclave.bench;

import java.util.Arrays;

/**
 * Latency percentiles by the nearest-rank method over every sample (no histogram buckets), so a published p99 is a
 * latency some request really had.
 */
public record Percentiles(int count, double p50, double p95, double p99, double max) {

    static final Percentiles EMPTY = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** @param nanos latencies in nanoseconds; the result is in milliseconds */
    public static Percentiles ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return EMPTY;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, millis(rank(sorted, 50)), millis(rank(sorted, 95)),
                millis(rank(sorted, 99)), millis(sorted[sorted.length - 1]));
    }

    /** The smallest sample with at least {@code percent}% of the samples at or below it. */
    static long rank(long[] sorted, double percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
