package io.autonomic.ingest.traces;

import java.util.Arrays;

/**
 * A sparse log-bucketed latency histogram with a fixed relative error (DDSketch's mapping): bucket {@code i}
 * holds values in (γ^(i-1), γ^i] with γ = (1+α)/(1−α), and a quantile is reported as 2γ^i/(γ+1), within α = 1%
 * of the true value. Sub-microsecond values share the lowest bucket. State is two parallel arrays, sorted by bucket,
 * so it stays small for the few hundred distinct buckets real latencies occupy and serializes as a Flink POJO.
 */
public final class LatencyHistogram {

    static final double RELATIVE_ACCURACY = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final double MIN_MILLIS = 0.001;

    public int[] buckets = new int[0];
    public long[] counts = new long[0];
    public long total;

    public void add(double millis) {
        int bucket = (int) Math.ceil(Math.log(Math.max(millis, MIN_MILLIS)) / LOG_GAMMA);
        int at = Arrays.binarySearch(buckets, bucket);
        if (at >= 0) {
            counts[at]++;
        } else {
            int insert = -at - 1;
            int[] newBuckets = new int[buckets.length + 1];
            long[] newCounts = new long[counts.length + 1];
            System.arraycopy(buckets, 0, newBuckets, 0, insert);
            System.arraycopy(counts, 0, newCounts, 0, insert);
            newBuckets[insert] = bucket;
            newCounts[insert] = 1;
            System.arraycopy(buckets, insert, newBuckets, insert + 1, buckets.length - insert);
            System.arraycopy(counts, insert, newCounts, insert + 1, counts.length - insert);
            buckets = newBuckets;
            counts = newCounts;
        }
        total++;
    }

    /** The q-quantile (0 < q ≤ 1) by the nearest-rank definition, within the relative accuracy; NaN when empty. */
    public double quantile(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return 2 * Math.pow(GAMMA, buckets[i]) / (GAMMA + 1);
            }
        }
        return 2 * Math.pow(GAMMA, buckets[buckets.length - 1]) / (GAMMA + 1);
    }
}
