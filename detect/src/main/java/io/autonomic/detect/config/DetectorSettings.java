package io.autonomic.detect.config;

import java.io.Serializable;

/**
 * Settings of the learned per-series baseline ({@code EwmaZScoreDetector}).
 *
 * @param enabled false turns the learned detector off; threshold rules still run
 * @param warmup points a series must have before it can be anomalous
 * @param threshold |z| above which a point is anomalous
 * @param alpha smoothing weight of the level (EWMA of the value)
 * @param scaleAlpha smoothing weight of the scale (EWMA of the absolute deviation); slower than the level so a
 *     noisy stretch does not shrink the scale and cause false alarms
 * @param absoluteFloor the scale never drops below this, so a flat series does not alarm on a rounding change
 * @param relativeFloor nor below this fraction of the level's magnitude
 * @param anomalyWeight how much an anomalous point moves the baseline, relative to a normal one: small, so a spike
 *     does not poison the baseline, but non-zero, so a lasting level shift eventually becomes normal
 * @param seasonalBuckets time-of-day buckets of the learned daily profile (UTC); 0 turns seasonality off
 * @param seasonalDays days of data after which the daily profile counts fully (it is phased in linearly before)
 * @param seasonalAlpha weight of a point in its time-of-day bucket of the profile
 * @param levelShiftThreshold the level-shift detector (a two-sided CUSUM of the standardized one-step errors, each
 *     clipped to the z-score threshold, with a slack of half a scale per point) fires when a sum exceeds this many
 *     scales; 0 turns it off
 * @param varianceRatio the variance-change detector fires when the recent mean absolute error (about 10 points)
 *     exceeds this multiple of the long-run one; 0 turns it off
 * @param trendThreshold the trend-change detector fires when the fast level strays from the slow level by more than
 *     this multiple of how far it usually strays; 0 turns it off
 * @param weeklyProfile learn a day-of-week profile on top of the daily one, used once a series has two weeks of data
 *     and shows a weekly pattern larger than its noise
 * @param maxGapPoints a gap counts as at most this many missed points when the baseline decays over it (time-aware
 *     decay: the weights follow elapsed time in units of the learned sampling interval)
 * @param exhaustionForecast forecast time to exhaustion of gauges named {@code *.utilization} (a fraction of
 *     capacity) and raise an {@code exhaustion-forecast} anomaly when it falls within 30 minutes; off by default
 *     until the incident stage maps forecasts to playbooks
 */
public record DetectorSettings(boolean enabled, int warmup, double threshold, double alpha, double scaleAlpha,
        double absoluteFloor, double relativeFloor, double anomalyWeight, int seasonalBuckets, double seasonalDays,
        double seasonalAlpha, double levelShiftThreshold, double varianceRatio, double trendThreshold,
        boolean weeklyProfile, double maxGapPoints, boolean exhaustionForecast) implements Serializable {

    public static final DetectorSettings DEFAULTS = new DetectorSettings(true, 30, 5.0, 0.5, 0.01, 0.001, 0.05, 0.2,
            48, 2.0, 0.02, 16.0, 4.5, 6.0, false, 12, false);

    /** The spike detector with a daily profile only: no level-shift, variance or trend detector, no weekly profile. */
    public DetectorSettings(boolean enabled, int warmup, double threshold, double alpha, double scaleAlpha,
            double absoluteFloor, double relativeFloor, double anomalyWeight, int seasonalBuckets, double seasonalDays,
            double seasonalAlpha, boolean exhaustionForecast) {
        this(enabled, warmup, threshold, alpha, scaleAlpha, absoluteFloor, relativeFloor, anomalyWeight,
                seasonalBuckets, seasonalDays, seasonalAlpha, 0, 0, 0, false, 12, exhaustionForecast);
    }

    /** The settings before the daily profile existed: no seasonal adjustment. */
    public DetectorSettings(boolean enabled, int warmup, double threshold, double alpha, double scaleAlpha,
            double absoluteFloor, double relativeFloor, double anomalyWeight) {
        this(enabled, warmup, threshold, alpha, scaleAlpha, absoluteFloor, relativeFloor, anomalyWeight, 0, 2.0,
                0.05, false);
    }

    /** These settings with the exhaustion forecast turned on or off. */
    public DetectorSettings withExhaustionForecast(boolean on) {
        return new DetectorSettings(enabled, warmup, threshold, alpha, scaleAlpha, absoluteFloor, relativeFloor,
                anomalyWeight, seasonalBuckets, seasonalDays, seasonalAlpha, levelShiftThreshold, varianceRatio,
                trendThreshold, weeklyProfile, maxGapPoints, on);
    }

    public DetectorSettings {
        if (warmup < 1) {
            throw new IllegalArgumentException("warmup must be at least 1");
        }
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("threshold must be positive");
        }
        requireFraction("alpha", alpha);
        requireFraction("scaleAlpha", scaleAlpha);
        if (!(absoluteFloor > 0)) {
            throw new IllegalArgumentException("absoluteFloor must be positive");
        }
        if (!(relativeFloor >= 0)) {
            throw new IllegalArgumentException("relativeFloor must not be negative");
        }
        if (!(anomalyWeight >= 0 && anomalyWeight <= 1)) {
            throw new IllegalArgumentException("anomalyWeight must be within [0, 1]");
        }
        if (seasonalBuckets < 0 || seasonalBuckets > 1440) {
            throw new IllegalArgumentException("seasonalBuckets must be within [0, 1440] (0 turns seasonality off)");
        }
        if (!(seasonalDays > 0)) {
            throw new IllegalArgumentException("seasonalDays must be positive");
        }
        requireFraction("seasonalAlpha", seasonalAlpha);
        if (!(levelShiftThreshold >= 0)) {
            throw new IllegalArgumentException("levelShiftThreshold must not be negative (0 turns it off)");
        }
        if (!(varianceRatio == 0 || varianceRatio > 1)) {
            throw new IllegalArgumentException("varianceRatio must be above 1 (0 turns it off)");
        }
        if (!(trendThreshold >= 0)) {
            throw new IllegalArgumentException("trendThreshold must not be negative (0 turns it off)");
        }
        if (!(maxGapPoints >= 1)) {
            throw new IllegalArgumentException("maxGapPoints must be at least 1");
        }
    }

    private static void requireFraction(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within (0, 1]");
        }
    }
}
