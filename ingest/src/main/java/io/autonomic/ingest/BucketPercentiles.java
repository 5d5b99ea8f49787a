package io.autonomic.ingest;

import java.util.List;

/**
 * Estimates percentiles of a histogram from its bucket counts, the way Prometheus' {@code histogram_quantile}
 * does: find the bucket holding the target rank {@code q * count}, then interpolate linearly between the bucket's
 * bounds, assuming the observations are spread evenly inside it.
 *
 * <p>Open-ended buckets have no finite bound on one side. There the histogram's recorded {@code min} or
 * {@code max} is used when present; otherwise the estimate is clamped to the finite bound (the underflow bucket
 * answers its upper bound, the overflow bucket its lower bound), which under-reports rather than invents a tail.
 * Every estimate is also clamped to [min, max] when those are recorded.
 *
 * <p>Exponential histograms: with {@code base = 2^(2^-scale)}, positive bucket {@code offset + i} covers
 * {@code (base^(offset+i), base^(offset+i+1)]}, negative buckets mirror that below zero, and the zero bucket holds
 * {@code zero_count} observations at (or within {@code zero_threshold} of) zero. Buckets are walked from the most
 * negative to the most positive.
 */
public final class BucketPercentiles {

    /** The percentiles every histogram point is summarized with, and the suffix of their metric names. */
    public static final List<Percentile> STANDARD = List.of(new Percentile(0.50, "p50"), new Percentile(0.95, "p95"),
            new Percentile(0.99, "p99"));

    /** A quantile and the metric-name suffix it is published under. */
    public record Percentile(double quantile, String suffix) {
    }

    private BucketPercentiles() {
    }

    /**
     * Explicit-bucket histogram. {@code bounds} are the upper bounds of all buckets but the last (OTLP
     * {@code explicit_bounds}), so {@code counts.length == bounds.length + 1}. Returns NaN when the histogram is
     * empty or its shape is inconsistent.
     */
    public static double explicit(double quantile, double[] bounds, long[] counts, double min, double max) {
        if (counts.length != bounds.length + 1 || quantile < 0 || quantile > 1) {
            return Double.NaN;
        }
        double total = 0;
        for (long count : counts) {
            total += unsigned(count);
        }
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = quantile * total;
        double cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            double inBucket = unsigned(counts[i]);
            if (inBucket > 0 && cumulative + inBucket >= rank) {
                double lower = i == 0 ? min : bounds[i - 1];
                double upper = i == bounds.length ? max : bounds[i];
                double estimate;
                if (Double.isNaN(lower) && Double.isNaN(upper)) {
                    return Double.NaN;
                } else if (Double.isNaN(lower)) {
                    estimate = upper;
                } else if (Double.isNaN(upper)) {
                    estimate = lower;
                } else {
                    estimate = lower + (upper - lower) * ((rank - cumulative) / inBucket);
                }
                return clamp(estimate, min, max);
            }
            cumulative += inBucket;
        }
        return clamp(bounds.length == 0 ? max : bounds[bounds.length - 1], min, max);
    }

    /**
     * Exponential histogram. {@code negative} and {@code positive} are bucket counts starting at index
     * {@code negativeOffset} / {@code positiveOffset}. Returns NaN when empty.
     */
    public static double exponential(double quantile, int scale, long zeroCount, int positiveOffset, long[] positive,
            int negativeOffset, long[] negative, double min, double max) {
        if (quantile < 0 || quantile > 1 || scale < -10 || scale > 20) {
            return Double.NaN;
        }
        double total = unsigned(zeroCount);
        for (long count : positive) {
            total += unsigned(count);
        }
        for (long count : negative) {
            total += unsigned(count);
        }
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = quantile * total;
        double cumulative = 0;
        for (int i = negative.length - 1; i >= 0; i--) {
            double inBucket = unsigned(negative[i]);
            if (inBucket > 0 && cumulative + inBucket >= rank) {
                // Bucket index k covers (-base^(k+1), -base^k]; walked from the most negative value upwards.
                double lower = -lowerBoundary(scale, negativeOffset + i + 1);
                double upper = -lowerBoundary(scale, negativeOffset + i);
                return clamp(lower + (upper - lower) * ((rank - cumulative) / inBucket), min, max);
            }
            cumulative += inBucket;
        }
        double zeros = unsigned(zeroCount);
        if (zeros > 0 && cumulative + zeros >= rank) {
            return clamp(0, min, max);
        }
        cumulative += zeros;
        for (int i = 0; i < positive.length; i++) {
            double inBucket = unsigned(positive[i]);
            if (inBucket > 0 && cumulative + inBucket >= rank) {
                double lower = lowerBoundary(scale, positiveOffset + i);
                double upper = lowerBoundary(scale, positiveOffset + i + 1);
                return clamp(lower + (upper - lower) * ((rank - cumulative) / inBucket), min, max);
            }
            cumulative += inBucket;
        }
        return clamp(positive.length == 0 ? 0 : lowerBoundary(scale, positiveOffset + positive.length), min, max);
    }

    /** {@code base^index} with {@code base = 2^(2^-scale)}, i.e. {@code 2^(index * 2^-scale)}. */
    static double lowerBoundary(int scale, long index) {
        return Math.pow(2, index * Math.pow(2, -scale));
    }

    private static double clamp(double value, double min, double max) {
        double result = value;
        if (!Double.isNaN(min) && result < min) {
            result = min;
        }
        if (!Double.isNaN(max) && result > max) {
            result = max;
        }
        return result;
    }

    private static double unsigned(long count) {
        return count >= 0 ? count : ((count >>> 1) | (count & 1)) * 2.0;
    }
}
