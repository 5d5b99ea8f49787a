package io.autonomic.detect.scoring;

/**
 * How one value compared to its series' baseline.
 *
 * @param warmingUp true while the series has fewer points than the warm-up: never anomalous then
 * @param z signed distance from the expected value, in units of the robust scale
 * @param score in [0, 1], monotone in the firing detector's statistic; 0 when not anomalous
 * @param expected the baseline before this value
 * @param lower lower edge of the normal band
 * @param upper upper edge of the normal band
 * @param detector the detector of the ensemble that fired ({@link Anomalies#EWMA_DETECTOR},
 *     {@link Anomalies#LEVEL_SHIFT_DETECTOR}, {@link Anomalies#VARIANCE_DETECTOR}, {@link Anomalies#TREND_DETECTOR});
 *     {@link Anomalies#EWMA_DETECTOR} when none fired
 * @param suspicion a continuous, threshold-free measure of how unusual the point is (the largest of the detectors'
 *     statistics, each expressed in units of the z-score threshold), for sweeping thresholds in backtests
 */
public record EwmaScore(boolean warmingUp, boolean anomalous, double z, double score, double expected, double lower,
        double upper, String detector, double suspicion) {

    /** A spike-detector (z-score) result. */
    public EwmaScore(boolean warmingUp, boolean anomalous, double z, double score, double expected, double lower,
            double upper) {
        this(warmingUp, anomalous, z, score, expected, lower, upper, Anomalies.EWMA_DETECTOR, Math.abs(z));
    }

    static EwmaScore warmup(double level) {
        return new EwmaScore(true, false, 0, 0, level, level, level, Anomalies.EWMA_DETECTOR, 0);
    }
}
