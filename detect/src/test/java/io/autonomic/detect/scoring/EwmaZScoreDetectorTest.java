package io.autonomic.detect.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectorSettings;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EwmaZScoreDetectorTest {

    private final EwmaZScoreDetector detector = new EwmaZScoreDetector(DetectorSettings.DEFAULTS);

    @Test
    void score_duringWarmup_isNeverAnomalous() {
        EwmaState state = new EwmaState();
        Random random = new Random(7);
        for (int i = 0; i < DetectorSettings.DEFAULTS.warmup(); i++) {
            double wild = i % 5 == 0 ? 1_000_000 : random.nextGaussian();
            EwmaScore score = detector.score(state, wild);
            assertThat(score.warmingUp()).isTrue();
            assertThat(score.anomalous()).isFalse();
            assertThat(score.score()).isZero();
        }
        assertThat(state.count).isEqualTo(DetectorSettings.DEFAULTS.warmup());
        assertThat(detector.score(state, 0).warmingUp()).isFalse();
    }

    @Test
    void score_spikeAfterWarmup_isAnomalousWithScoreInUnitInterval() {
        EwmaState state = warmedUp(new Random(1), 100, 5, 200);
        double levelBefore = state.level;

        EwmaScore spike = detector.score(state, 300);

        assertThat(spike.anomalous()).isTrue();
        assertThat(spike.score()).isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(spike.z()).isGreaterThan(DetectorSettings.DEFAULTS.threshold());
        assertThat(spike.expected()).isEqualTo(levelBefore);
        assertThat(spike.lower()).isLessThan(spike.expected());
        assertThat(spike.upper()).isGreaterThan(spike.expected()).isLessThan(300);
        assertThat(state.level - levelBefore).as("a spike moves the baseline by a small part of its excess")
                .isLessThan(0.15 * (300 - levelBefore));
        assertThat(detector.score(state, levelBefore).anomalous()).as("the next normal value is normal").isFalse();
    }

    @Test
    void score_aRecurringSustainedFault_isDetectedAgain() {
        // A flat error ratio, the same 10-point fault twice: the step back from the first one is the fault's, not
        // the series' resolution, so the second one must not hide under a raised scale floor.
        EwmaState state = new EwmaState();
        long t = 1_767_225_600_000L;
        int[] anomalousPerEpisode = new int[2];
        for (int episode = 0; episode < 2; episode++) {
            for (int i = 0; i < 100; i++) {
                boolean faulty = i >= 60 && i < 70;
                EwmaScore score = detector.score(state, t, faulty ? 0.1 : 0.0);
                t += 1_000;
                if (faulty && score.anomalous()) {
                    anomalousPerEpisode[episode]++;
                }
            }
        }
        assertThat(anomalousPerEpisode[0]).as("first fault").isPositive();
        assertThat(anomalousPerEpisode[1]).as("second fault").isPositive();
    }

    @Test
    void score_higherDeviation_scoresHigher() {
        EwmaState a = warmedUp(new Random(3), 100, 5, 200);
        EwmaState b = warmedUp(new Random(3), 100, 5, 200);

        EwmaScore moderate = detector.score(a, 160);
        EwmaScore extreme = detector.score(b, 400);

        assertThat(moderate.anomalous()).isTrue();
        assertThat(extreme.score()).isGreaterThan(moderate.score());
    }

    @Test
    void score_dropBelowBaseline_isAnomalousWithNegativeZ() {
        EwmaState state = warmedUp(new Random(5), 100, 5, 200);

        EwmaScore drop = detector.score(state, 0);

        assertThat(drop.anomalous()).isTrue();
        assertThat(drop.z()).isNegative();
    }

    @Test
    void score_noisySeries_raisesNoFalseAlarms() {
        Random random = new Random(42);
        double[][] series = {{100, 10}, {100, 1}, {1, 0.3}, {0.05, 0.02}, {1e9, 1e7}};
        for (double[] levelAndSigma : series) {
            EwmaState state = new EwmaState();
            int alarms = 0;
            for (int i = 0; i < 20_000; i++) {
                if (detector.score(state, levelAndSigma[0] + levelAndSigma[1] * random.nextGaussian()).anomalous()) {
                    alarms++;
                }
            }
            assertThat(alarms).as("false alarms for level %s sigma %s", levelAndSigma[0], levelAndSigma[1]).isZero();
        }
    }

    @Test
    void score_flatSeries_usesTheScaleFloor() {
        EwmaState zeros = new EwmaState();
        EwmaState constant = new EwmaState();
        for (int i = 0; i < 50; i++) {
            detector.score(zeros, 0);
            detector.score(constant, 200);
        }

        double floor = DetectorSettings.DEFAULTS.absoluteFloor();
        assertThat(detector.score(zeros, 3 * floor).anomalous()).as("tiny change of a flat zero series").isFalse();
        assertThat(detector.score(constant, 210).anomalous()).as("5% change of a flat series").isFalse();
        EwmaScore jump = detector.score(zeros, 1.0);
        assertThat(jump.anomalous()).isTrue();
        assertThat(jump.z()).isFinite();
        assertThat(jump.score()).isLessThanOrEqualTo(1);
    }

    @Test
    void score_levelShift_becomesNormalAfterAWhile() {
        Random random = new Random(11);
        EwmaState state = warmedUp(random, 100, 5, 200);
        int anomalousPoints = 0;
        int lastAnomalous = -1;
        for (int i = 0; i < 200; i++) {
            if (detector.score(state, 160 + 5 * random.nextGaussian()).anomalous()) {
                anomalousPoints++;
                lastAnomalous = i;
            }
        }

        assertThat(anomalousPoints).as("the shift itself is noticed").isGreaterThan(0);
        assertThat(lastAnomalous).as("and becomes the new normal within a few dozen points").isLessThan(40);
        // the fast level follows recent values: within ~3 sigma of its own noise (sigma 5 * sqrt(alpha / (2 - alpha)))
        assertThat(state.level).isCloseTo(160, org.assertj.core.data.Offset.offset(10.0));
    }

    @Test
    void score_returnToNormalAfterShortFault_isNotAnomalous() {
        EwmaState state = new EwmaState();
        for (int i = 0; i < 60; i++) {
            detector.score(state, 0);
        }
        for (int i = 0; i < 15; i++) {
            assertThat(detector.score(state, 1.0).anomalous()).isTrue();
        }

        assertThat(detector.score(state, 0).anomalous()).as("recovery must not look like a new anomaly").isFalse();
    }

    @Test
    void score_nonFiniteValue_isIgnored() {
        EwmaState state = warmedUp(new Random(2), 10, 1, 100);
        long count = state.count;
        double level = state.level;

        EwmaScore nan = detector.score(state, Double.NaN);
        EwmaScore infinite = detector.score(state, Double.POSITIVE_INFINITY);

        assertThat(nan.anomalous()).isFalse();
        assertThat(infinite.anomalous()).isFalse();
        assertThat(state.count).isEqualTo(count);
        assertThat(state.level).isEqualTo(level);
    }

    @Test
    void score_dailyCycle_isLearnedSoTheForecastFollowsItWithoutAlarms() {
        Random random = new Random(21);
        EwmaState seasonal = new EwmaState();
        EwmaState plain = new EwmaState();
        long fiveMinutes = 300_000L;
        int perDay = 288;
        double seasonalError = 0;
        double plainError = 0;
        int alarms = 0;
        for (int i = 0; i < 6 * perDay; i++) {
            long ts = 1_767_225_600_000L + i * fiveMinutes;
            double value = 100 + 40 * Math.sin(2 * Math.PI * i / perDay) + random.nextGaussian();
            EwmaScore withProfile = detector.score(seasonal, ts, value);
            EwmaScore withoutProfile = detector.score(plain, value);
            if (i >= 4 * perDay) {
                seasonalError += Math.abs(value - withProfile.expected());
                plainError += Math.abs(value - withoutProfile.expected());
                alarms += withProfile.anomalous() ? 1 : 0;
            }
        }

        assertThat(seasonal.dailyProfile).hasSize(DetectorSettings.DEFAULTS.seasonalBuckets());
        assertThat(seasonalError).as("the daily profile explains part of each step").isLessThan(0.9 * plainError);
        assertThat(alarms).as("a clean daily cycle is normal").isZero();
    }

    @Test
    void score_varianceIncrease_isNoticed() {
        Random random = new Random(17);
        EwmaState state = warmedUp(random, 10, 0.2, 300);
        int anomalous = 0;
        for (int i = 0; i < 50; i++) {
            anomalous += detector.score(state, 10 + 5 * random.nextGaussian()).anomalous() ? 1 : 0;
        }

        assertThat(anomalous).as("a burst of variance makes several points stand out").isGreaterThan(5);
    }

    private EwmaState warmedUp(Random random, double level, double sigma, int points) {
        EwmaState state = new EwmaState();
        for (int i = 0; i < points; i++) {
            detector.score(state, level + sigma * random.nextGaussian());
        }
        return state;
    }
}
