package io.autonomic.detect.scoring;

import io.autonomic.detect.config.DetectorSettings;
import java.io.Serializable;
import java.util.Objects;

/**
 * A robust streaming baseline per series: an EWMA of the value (the level) and an EWMA of the absolute deviation
 * from it (the scale). A value is anomalous when {@code |value - level| / scale} exceeds the threshold.
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>Absolute deviation instead of variance: one spike inflates a variance quadratically and blinds the detector
 *       for a while; the mean absolute deviation (times 1.2533, its ratio to sigma for normal data) grows linearly.
 *   <li>Scale floor {@code max(absoluteFloor, relativeFloor * |level|)}: a flat series has zero deviation and would
 *       otherwise call any rounding change infinitely abnormal.
 *   <li>Warm-up: the first {@code warmup} points only learn, with weight {@code max(alpha, 1/n)} so the baseline is
 *       the plain running mean at first instead of being dragged from zero.
 *   <li>Anomalous values update the baseline with {@code anomalyWeight} of the normal weight: a spike barely moves
 *       it, a lasting level shift wins after a few dozen points and then counts as normal.
 *   <li>Recovery: while points are anomalous the level from before the run is kept; a point back within the band
 *       around it ends the run as normal, so the end of a fault does not raise a second, false, anomaly.
 *   <li>Decay by count, not by elapsed time: OpenTelemetry exports each series at a fixed interval, so a gap
 *       usually means the process was down or unreachable, and the pre-gap baseline is still the best reference for
 *       its return. Gaps therefore neither decay nor distort the baseline; series that stop for good expire through
 *       state TTL and warm up again if they come back.
 * </ul>
 * Stateless itself: all state lives in the {@link EwmaState} passed in, so one instance serves every series.
 */
public final class EwmaZScoreDetector implements Serializable {

    /** Mean absolute deviation times this estimates the standard deviation of normal data. */
    static final double MAD_TO_SIGMA = Math.sqrt(Math.PI / 2);
    static final long DAY_MILLIS = 86_400_000L;
    /** Weight of a point in the slow reference level the daily profile is learned against (~200 points). */
    static final double SLOW_LEVEL_ALPHA = 0.005;

    private final DetectorSettings settings;

    public EwmaZScoreDetector(DetectorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public DetectorSettings settings() {
        return settings;
    }

    /**
     * Scores {@code value} against {@code state}, then learns from it. A non-finite value is neither scored nor
     * learned.
     */
    public EwmaScore score(EwmaState state, double value) {
        return score(state, Long.MIN_VALUE, value);
    }

    /**
     * Scores {@code value}, observed at {@code timestampMillis}, against {@code state} and learns from it, including
     * the series' daily profile. {@link Long#MIN_VALUE} means "no timestamp": no seasonal adjustment.
     */
    public EwmaScore score(EwmaState state, long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return EwmaScore.warmup(state.level);
        }
        boolean timed = timestampMillis != Long.MIN_VALUE && settings.seasonalBuckets() > 0;
        double seasonal = timed ? seasonal(state, timestampMillis) : 0;
        double raw = value;
        value = raw - seasonal;
        if (state.count < settings.warmup()) {
            learnDuringWarmup(state, value);
            if (timed) {
                learnSeason(state, timestampMillis, raw, false);
            }
            return EwmaScore.warmup(state.level + seasonal);
        }
        EwmaScore result = scoreDeseasonalized(state, value, seasonal);
        if (timed) {
            learnSeason(state, timestampMillis, raw, result.anomalous());
        }
        return result;
    }

    private EwmaScore scoreDeseasonalized(EwmaState state, double value, double seasonal) {
        double level = state.level;
        double scale = scale(state);
        double z = (value - level) / scale;
        double threshold = settings.threshold();
        boolean anomalous = Math.abs(z) > threshold;
        if (anomalous && state.inAnomaly && Math.abs(value - state.anchorLevel) <= threshold * scale) {
            // Back to where the series was before the anomaly began: a recovery, not a new anomaly. The level had
            // crept towards the faulty values (anomalyWeight); restart it from the pre-anomaly reference.
            anomalous = false;
            state.level = state.anchorLevel;
            level = state.anchorLevel;
            z = (value - level) / scale;
        }
        if (anomalous && !state.inAnomaly) {
            state.anchorLevel = level;
        }
        state.inAnomaly = anomalous;
        double score = anomalous ? clip(1 - Math.exp(-(Math.abs(z) - threshold) / threshold)) : 0.0;
        double weight = anomalous ? settings.anomalyWeight() : 1.0;
        state.level = level + weight * settings.alpha() * (value - level);
        state.meanAbsoluteDeviation += weight * settings.scaleAlpha()
                * (Math.abs(value - level) - state.meanAbsoluteDeviation);
        if (state.count < Long.MAX_VALUE) {
            state.count++;
        }
        double expected = level + seasonal;
        return new EwmaScore(false, anomalous, z, score, expected, expected - threshold * scale,
                expected + threshold * scale);
    }

    /**
     * The daily profile's offset at this time of day (linear between bucket centres), weighted by how many days the
     * series has been seen, so a profile learned from less than {@code seasonalDays} days counts only partly.
     */
    private double seasonal(EwmaState state, long timestampMillis) {
        if (state.dailyProfile == null || state.dailyProfile.length != settings.seasonalBuckets()) {
            return 0;
        }
        double days = (timestampMillis - state.firstTimestampMillis) / (double) DAY_MILLIS;
        double trust = Math.max(0, Math.min(1, days / settings.seasonalDays()));
        if (trust == 0) {
            return 0;
        }
        int buckets = state.dailyProfile.length;
        double x = Math.floorMod(timestampMillis, DAY_MILLIS) / (double) DAY_MILLIS * buckets - 0.5;
        int i0 = Math.floorMod((int) Math.floor(x), buckets);
        double w = x - Math.floor(x);
        return trust * ((1 - w) * state.dailyProfile[i0] + w * state.dailyProfile[(i0 + 1) % buckets]);
    }

    private void learnSeason(EwmaState state, long timestampMillis, double raw, boolean anomalous) {
        int buckets = settings.seasonalBuckets();
        if (state.dailyProfile == null || state.dailyProfile.length != buckets) {
            state.dailyProfile = new float[buckets];
            state.firstTimestampMillis = timestampMillis;
            state.slowLevel = raw;
            return;
        }
        double x = Math.floorMod(timestampMillis, DAY_MILLIS) / (double) DAY_MILLIS * buckets - 0.5;
        int i0 = Math.floorMod((int) Math.floor(x), buckets);
        int i1 = (i0 + 1) % buckets;
        double w = x - Math.floor(x);
        double profileHere = (1 - w) * state.dailyProfile[i0] + w * state.dailyProfile[i1];
        double weight = anomalous ? settings.anomalyWeight() : 1.0;
        state.slowLevel += weight * SLOW_LEVEL_ALPHA * (raw - profileHere - state.slowLevel);
        double offset = raw - state.slowLevel;
        double rate = weight * settings.seasonalAlpha();
        state.dailyProfile[i0] += (float) (rate * (1 - w) * (offset - state.dailyProfile[i0]));
        state.dailyProfile[i1] += (float) (rate * w * (offset - state.dailyProfile[i1]));
    }

    /** The robust scale of a series, floored. */
    public double scale(EwmaState state) {
        return Math.max(MAD_TO_SIGMA * state.meanAbsoluteDeviation,
                Math.max(settings.absoluteFloor(), settings.relativeFloor() * Math.abs(state.level)));
    }

    private void learnDuringWarmup(EwmaState state, double value) {
        state.count++;
        if (state.count == 1) {
            state.level = value;
            state.meanAbsoluteDeviation = 0;
            return;
        }
        double deviation = Math.abs(value - state.level);
        state.level += Math.max(settings.alpha(), 1.0 / state.count) * (value - state.level);
        state.meanAbsoluteDeviation += Math.max(settings.scaleAlpha(), 1.0 / (state.count - 1))
                * (deviation - state.meanAbsoluteDeviation);
    }

    private static double clip(double score) {
        return Math.min(1.0, Math.max(Double.MIN_NORMAL, score));
    }
}
