package io.autonomic.detect.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class EvaluationTest {

    // two windows: points 2..4 and 8..9; one alert inside the first (at 3), one false alarm run (6..7)
    private static final int[] LABELS = {0, 0, 1, 1, 1, 0, 0, 0, 1, 1};
    private static final long[] TIMES = {0, 300_000, 600_000, 900_000, 1_200_000, 1_500_000, 1_800_000, 2_100_000,
            2_400_000, 2_700_000};

    @Test
    void of_alertsInsideAndOutsideWindows_countsPointAdjustedEventsAndFalseAlarms() {
        boolean[] alerting = {false, false, false, true, false, false, true, true, false, false};

        Evaluation e = Evaluation.of(LABELS, TIMES, alerting);

        assertThat(e.windows()).isEqualTo(2);
        assertThat(e.windowsDetected()).isEqualTo(1);
        assertThat(e.meanDetectDelayPoints()).isEqualTo(1.0);
        assertThat(e.meanDetectDelaySeconds()).isEqualTo(300.0);
        assertThat(e.alerts()).isEqualTo(2);
        assertThat(e.falseAlarms()).isEqualTo(1);
        // point-wise: tp 1, fp 2, fn 4
        assertThat(e.pointPrecision()).isCloseTo(1.0 / 3, offset(1e-9));
        assertThat(e.pointRecall()).isCloseTo(1.0 / 5, offset(1e-9));
        // point-adjusted: the whole first window (3 points) counts: tp 3, fp 2, fn 2
        assertThat(e.adjustedPrecision()).isCloseTo(3.0 / 5, offset(1e-9));
        assertThat(e.adjustedRecall()).isCloseTo(3.0 / 5, offset(1e-9));
        assertThat(e.adjustedF1()).isCloseTo(0.6, offset(1e-9));
    }

    @Test
    void of_noAlerts_hasZeroScoresAndNoDelay() {
        Evaluation e = Evaluation.of(LABELS, TIMES, new boolean[LABELS.length]);

        assertThat(e.windowsDetected()).isZero();
        assertThat(e.alerts()).isZero();
        assertThat(e.pointF1()).isZero();
        assertThat(e.adjustedF1()).isZero();
        assertThat(e.meanDetectDelayPoints()).isNaN();
    }

    @Test
    void bestF1_sweepsThresholds_findsTheOneSeparatingWindowsFromNoise() {
        double[] scores = {0.1, 0.2, 0.9, 0.3, 0.1, 0.5, 0.2, 0.1, 0.4, 0.8};

        Evaluation.Best adjusted = Evaluation.bestF1(LABELS, TIMES, scores, true);
        Evaluation.Best pointWise = Evaluation.bestF1(LABELS, TIMES, scores, false);

        assertThat(adjusted.f1()).isEqualTo(1.0);
        assertThat(adjusted.threshold()).isGreaterThan(0.5).isLessThanOrEqualTo(0.8);
        assertThat(pointWise.f1()).isLessThan(1.0).isGreaterThan(0.5);
    }
}
