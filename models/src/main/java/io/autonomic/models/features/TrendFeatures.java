package io.autonomic.models.features;

import java.io.Serializable;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

/**
 * Window features of one utilization gauge (a fraction of capacity: disk, heap, RSS, connection pool), for the
 * failure forecasts. The one feature code path: training replays recorded or generated series through
 * {@link #update} and {@link #vector}, live scoring calls the same two per point, so a model never sees features
 * computed differently from those it learned on.
 *
 * <p>Windows are in time, not in points, so irregular sampling and missing points change only how many points a
 * window holds. Slopes are least-squares fits in fraction per minute. The history is bounded ({@link TrendState}):
 * with sampling faster than {@link #MIN_SPACING_MILLIS}, points in between update only the latest reading.
 *
 * <p>Stateless and deterministic: the state lives in {@link TrendState}, one per series.
 */
public final class TrendFeatures implements Serializable {

    /** Points closer than this to the last kept point are not kept (they still update the latest reading). */
    public static final long MIN_SPACING_MILLIS = 7_500;
    /** A fall of at least this fraction of capacity between two readings counts as a drop (cleanup, GC, rotation). */
    public static final double DROP = 0.05;
    /** History needed before a forecast is trusted. */
    public static final long WARM_UP_MILLIS = 5 * 60_000L;
    /** Caps of the time features, in minutes: a week for times to exhaustion, a day since the last drop. */
    static final double MAX_TTE_MINUTES = 7 * 24 * 60;
    static final double MAX_MINUTES_SINCE_DROP = 24 * 60;

    /** Feature names, in the order of {@link #vector}; a model's signals must equal this list. */
    public static final List<String> NAMES = List.of(
            "level", "headroom",
            "slope_1m", "slope_5m", "slope_15m", "acceleration", "floor_slope",
            "residual_std_15m", "fit_r2_15m", "range_15m",
            "minutes_since_drop", "log_tte_5m", "log_tte_15m", "log_tte_floor", "history_minutes",
            "max_jump_share");

    private static final long ONE_MINUTE = 60_000;
    private static final long FIVE_MINUTES = 5 * ONE_MINUTE;
    private static final long FIFTEEN_MINUTES = 15 * ONE_MINUTE;

    /** The features with the documented constants; there is nothing to tune per series. */
    public static final TrendFeatures DEFAULT = new TrendFeatures();

    private TrendFeatures() {
    }

    /**
     * Learns one reading of a fraction of capacity. Non-finite readings (missing points) and readings not after the
     * last one are ignored.
     *
     * @return whether the reading was accepted
     */
    public boolean update(TrendState state, long timestampMillis, double utilization) {
        if (!Double.isFinite(utilization) || state.count > 0 && timestampMillis <= state.lastMillis) {
            return false;
        }
        if (state.count == 0) {
            state.firstMillis = timestampMillis;
        } else if (state.latest - utilization >= DROP) {
            state.lastDropMillis = timestampMillis;
        }
        state.count++;
        state.lastMillis = timestampMillis;
        state.latest = utilization;
        int newest = (state.head - 1 + TrendState.CAPACITY) % TrendState.CAPACITY;
        if (state.size == 0 || timestampMillis - state.times[newest] >= MIN_SPACING_MILLIS) {
            state.times[state.head] = timestampMillis;
            state.values[state.head] = utilization;
            state.head = (state.head + 1) % TrendState.CAPACITY;
            state.size = Math.min(TrendState.CAPACITY, state.size + 1);
        }
        return true;
    }

    /** Learns {@code used} of {@code capacity} (e.g. bytes of a filesystem); a capacity not positive is missing. */
    public boolean update(TrendState state, long timestampMillis, double used, double capacity) {
        return update(state, timestampMillis, capacity > 0 ? used / capacity : Double.NaN);
    }

    /** Whether enough history was seen for a forecast ({@link #WARM_UP_MILLIS}). */
    public boolean ready(TrendState state) {
        return state.count > 0 && state.lastMillis - state.firstMillis >= WARM_UP_MILLIS;
    }

    /** The features after the latest reading, in the order of {@link #NAMES}. All zeros before the first reading. */
    public double[] vector(TrendState state) {
        double[] features = new double[NAMES.size()];
        if (state.count == 0) {
            return features;
        }
        // the kept points, oldest first, plus the latest reading when it was not kept
        int n = state.size;
        int newest = (state.head - 1 + TrendState.CAPACITY) % TrendState.CAPACITY;
        boolean latestKept = state.times[newest] == state.lastMillis;
        int total = latestKept ? n : n + 1;
        long[] t = new long[total];
        double[] y = new double[total];
        int start = (state.head - n + TrendState.CAPACITY) % TrendState.CAPACITY;
        for (int i = 0; i < n; i++) {
            t[i] = state.times[(start + i) % TrendState.CAPACITY];
            y[i] = state.values[(start + i) % TrendState.CAPACITY];
        }
        if (!latestKept) {
            t[n] = state.lastMillis;
            y[n] = state.latest;
        }
        long now = state.lastMillis;
        double level = state.latest;
        double headroom = Math.max(0, 1 - level);
        Fit fit1 = fit(t, y, firstWithin(t, now - ONE_MINUTE, 3));
        Fit fit5 = fit(t, y, firstWithin(t, now - FIVE_MINUTES, 3));
        int from15 = firstWithin(t, now - FIFTEEN_MINUTES, 3);
        Fit fit15 = fit(t, y, from15);
        double floorSlope = floorSlope(t, y, from15);
        double minutesSinceDrop = (now - (state.lastDropMillis >= 0 ? state.lastDropMillis : state.firstMillis))
                / 60_000.0;

        features[0] = level;
        features[1] = headroom;
        features[2] = fit1.slope;
        features[3] = fit5.slope;
        features[4] = fit15.slope;
        features[5] = fit5.slope - fit15.slope;
        features[6] = floorSlope;
        features[7] = fit15.residualStd;
        features[8] = fit15.r2;
        features[9] = range(y, from15);
        features[10] = Math.min(MAX_MINUTES_SINCE_DROP, minutesSinceDrop);
        features[11] = logTimeToExhaustion(headroom, fit5.slope);
        features[12] = logTimeToExhaustion(headroom, fit15.slope);
        features[13] = logTimeToExhaustion(headroom, floorSlope);
        features[14] = (now - t[from15]) / 60_000.0;
        features[15] = maxJumpShare(t, y, from15, features[9]);
        return features;
    }

    /** The Tribuo example of a feature vector, named after {@link #NAMES}. */
    public <T extends Output<T>> Example<T> example(T output, double[] features) {
        if (features.length != NAMES.size()) {
            throw new IllegalArgumentException("expected " + NAMES.size() + " features " + NAMES + ", got "
                    + features.length);
        }
        return new ArrayExample<>(output, NAMES.toArray(String[]::new), features.clone());
    }

    /**
     * The naive time to exhaustion, in log10 of minutes: the headroom divided by the slope, capped at a week (also
     * for a flat or falling series). Log scale because 10 minutes versus 20 matters, 10 days versus 20 does not.
     */
    static double logTimeToExhaustion(double headroom, double slopePerMinute) {
        double minutes = slopePerMinute > 0 ? headroom / slopePerMinute : MAX_TTE_MINUTES;
        return Math.log10(1 + Math.min(MAX_TTE_MINUTES, minutes));
    }

    /** Index of the first point at or after {@code fromMillis}, but leaving at least {@code minPoints} if there are. */
    private static int firstWithin(long[] t, long fromMillis, int minPoints) {
        int i = t.length - 1;
        while (i > 0 && t[i - 1] >= fromMillis) {
            i--;
        }
        return Math.max(0, Math.min(i, t.length - minPoints));
    }

    private record Fit(double slope, double residualStd, double r2) {
    }

    private static final Fit NO_FIT = new Fit(0, 0, 0);

    /** Least squares of y over time (minutes, relative to the window's first point) on points {@code from..end}. */
    private static Fit fit(long[] t, double[] y, int from) {
        int n = t.length - from;
        if (n < 2) {
            return NO_FIT;
        }
        double meanT = 0;
        double meanY = 0;
        for (int i = from; i < t.length; i++) {
            meanT += (t[i] - t[from]) / 60_000.0;
            meanY += y[i];
        }
        meanT /= n;
        meanY /= n;
        double stt = 0;
        double sty = 0;
        double syy = 0;
        for (int i = from; i < t.length; i++) {
            double dt = (t[i] - t[from]) / 60_000.0 - meanT;
            double dy = y[i] - meanY;
            stt += dt * dt;
            sty += dt * dy;
            syy += dy * dy;
        }
        if (stt <= 0) {
            return NO_FIT;
        }
        double slope = sty / stt;
        double residual = Math.max(0, syy - slope * sty);
        double r2 = syy <= 1e-12 ? 0 : Math.min(1, Math.max(0, 1 - residual / syy));
        return new Fit(slope, Math.sqrt(residual / n), r2);
    }

    /**
     * How fast the lows rise, fraction per minute: the minimum of the newest third of the window against the minimum
     * of the oldest third. A leak under a garbage-collection sawtooth, or a disk whose cleanups free less than was
     * written, shows here while the plain slope is dominated by the teeth.
     */
    private static double floorSlope(long[] t, double[] y, int from) {
        long span = t[t.length - 1] - t[from];
        if (t.length - from < 3 || span <= 0) {
            return 0;
        }
        long oldEnd = t[from] + span / 3;
        long newStart = t[t.length - 1] - span / 3;
        double oldMin = Double.POSITIVE_INFINITY;
        double newMin = Double.POSITIVE_INFINITY;
        for (int i = from; i < t.length; i++) {
            if (t[i] <= oldEnd) {
                oldMin = Math.min(oldMin, y[i]);
            }
            if (t[i] >= newStart) {
                newMin = Math.min(newMin, y[i]);
            }
        }
        // the thirds' centres are two thirds of the span apart
        return (newMin - oldMin) / (span * 2.0 / 3.0 / 60_000.0);
    }

    /**
     * The largest rise within one minute, as a share of the window's range: near 1 when the window's change came
     * as a jump (a spike, a burst of traffic that will recover), small when it came steadily (a disk filling, a leak).
     */
    private static double maxJumpShare(long[] t, double[] y, int from, double range) {
        if (range <= 1e-9) {
            return 0;
        }
        double maxJump = 0;
        int windowStart = from;
        for (int i = from; i < t.length; i++) {
            while (t[windowStart] < t[i] - ONE_MINUTE) {
                windowStart++;
            }
            double min = Double.POSITIVE_INFINITY;
            for (int j = windowStart; j <= i; j++) {
                min = Math.min(min, y[j]);
            }
            maxJump = Math.max(maxJump, y[i] - min);
        }
        return Math.min(1, maxJump / range);
    }

    private static double range(double[] y, int from) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < y.length; i++) {
            min = Math.min(min, y[i]);
            max = Math.max(max, y[i]);
        }
        return max - min;
    }
}
