package io.autonomic.detect.scoring;

/**
 * How one value compared to its series' baseline.
 *
 * @param warmingUp true while the series has fewer points than the warm-up: never anomalous then
 * @param z signed distance from the expected value, in units of the robust scale
 * @param score in [0, 1], monotone in |z|; 0 when not anomalous
 * @param expected the baseline before this value
 * @param lower lower edge of the normal band
 * @param upper upper edge of the normal band
 */
public record EwmaScore(boolean warmingUp, boolean anomalous, double z, double score, double expected, double lower,
        double upper) {

    static EwmaScore warmup(double level) {
        return new EwmaScore(true, false, 0, 0, level, level, level);
    }
}
