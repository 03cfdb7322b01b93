package io.storefront.benchmarks;

import java.util.Arrays;

/**
 * Distribution of one measured quantity. Percentiles are nearest-rank on the raw samples (no histogram buckets), so
 * a p99 of 30 samples is simply the largest but one: the report shows {@code count} next to it for that reason.
 */
public record Stats(long count, double min, double median, double p99, double max, double mean) {

    public static Stats of(double[] samples) {
        if (samples.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, sorted[0], percentile(sorted, 50), percentile(sorted, 99),
                sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(Double.NaN));
    }

    /** Nearest rank: the smallest sample with at least {@code p} percent of the samples at or below it. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
