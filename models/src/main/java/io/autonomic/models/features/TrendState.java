package io.autonomic.models.features;

import java.util.Arrays;

/**
 * The bounded history of one gauge that {@link TrendFeatures} reads: a ring of at most {@link #CAPACITY} points spaced
 * at least {@link TrendFeatures#MIN_SPACING_MILLIS} apart (about 16 minutes), the latest reading, and when the
 * series last dropped. A POJO with public fields and fixed-size arrays so Flink serializes it without Kryo: about
 * 2 KB per series.
 */
public class TrendState {

    /** Points kept: 128 at 7.5 s spacing covers the 15 minute window. */
    public static final int CAPACITY = 128;

    /** Times (epoch millis) of the kept points, a ring; {@link #head} is the next slot written. */
    public long[] times = new long[CAPACITY];
    /** Utilization (fraction of capacity) of the kept points. */
    public double[] values = new double[CAPACITY];
    public int head;
    public int size;
    /** Points accepted (finite and in order), kept in the ring or not. */
    public long count;
    public long firstMillis;
    public long lastMillis;
    public double latest;
    /** When the utilization last fell by at least {@link TrendFeatures#DROP} between two readings; -1: never. */
    public long lastDropMillis = -1;
    /**
     * Since when every forecast of this series has been at or above the failure threshold; -1: the latest was not.
     * Kept by {@code FailureForecastModel.forecast}, which fires only once this has held for its confirmation time.
     */
    public long failingSinceMillis = -1;

    public TrendState() {
    }

    /** A deep copy, for tests and for replaying one history twice. */
    public TrendState copy() {
        TrendState copy = new TrendState();
        copy.times = Arrays.copyOf(times, CAPACITY);
        copy.values = Arrays.copyOf(values, CAPACITY);
        copy.head = head;
        copy.size = size;
        copy.count = count;
        copy.firstMillis = firstMillis;
        copy.lastMillis = lastMillis;
        copy.latest = latest;
        copy.lastDropMillis = lastDropMillis;
        copy.failingSinceMillis = failingSinceMillis;
        return copy;
    }
}
