package io.autonomic.detect.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.DetectorSettings;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The detectors beside the z-score (level shift, variance change, trend change), time-aware decay and state size. */
class EnsembleDetectorsTest {

    private static final long START = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    private static DetectorSettings settings(String yaml) {
        return DetectConfig.parse("detector:\n" + yaml, "test").detector();
    }

    /** Scores {@code values} one per second from {@code START}; returns the detector named per point (null: quiet). */
    private static List<String> run(EwmaZScoreDetector detector, EwmaState state, double[] values) {
        List<String> fired = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            EwmaScore score = detector.score(state, START + i * 1000L, values[i]);
            assertThat(score.score()).isBetween(0.0, 1.0);
            fired.add(score.anomalous() ? score.detector() : null);
        }
        return fired;
    }

    private static double[] noise(Random random, int n, double sigma) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = sigma * random.nextGaussian();
        }
        return values;
    }

    @Test
    void levelShift_shallowLastingShift_isReportedOnceByTheLevelShiftDetector() {
        // no daily profile; a shift of 4 sigma, each point of which stays below the z-score threshold
        EwmaZScoreDetector detector = new EwmaZScoreDetector(settings("  seasonalBuckets: 0\n  levelShiftThreshold: 4\n"));
        EwmaState state = new EwmaState();
        Random random = new Random(3);
        double[] values = noise(random, 1_000, 1);
        for (int i = 600; i < 1_000; i++) {
            values[i] += 4;
        }

        List<String> fired = run(detector, state, values);

        assertThat(fired.subList(0, 600)).as("quiet before the shift").containsOnlyNulls();
        List<String> during = fired.subList(600, 640);
        assertThat(during).contains(Anomalies.LEVEL_SHIFT_DETECTOR);
        assertThat(fired.subList(660, 1_000)).as("reported once, then the new normal").containsOnlyNulls();
    }

    @Test
    void varianceChange_noiseGrowsFiveFold_isNamedVarianceChange() {
        EwmaZScoreDetector detector = new EwmaZScoreDetector(DetectorSettings.DEFAULTS);
        EwmaState state = new EwmaState();
        Random random = new Random(5);
        double[] values = noise(random, 700, 1);
        for (int i = 500; i < 700; i++) {
            values[i] = 5 * random.nextGaussian();
        }

        List<String> fired = run(detector, state, values);

        assertThat(fired.subList(0, 500)).containsOnlyNulls();
        assertThat(fired.subList(500, 560)).contains(Anomalies.VARIANCE_DETECTOR);
    }

    @Test
    void trendChange_slowRampNoStepReveals_isNamedTrendChange() {
        EwmaZScoreDetector detector = new EwmaZScoreDetector(settings("  seasonalBuckets: 0\n  trendThreshold: 3\n"));
        EwmaState state = new EwmaState();
        Random random = new Random(8);
        double[] values = noise(random, 1_200, 1);
        for (int i = 800; i < 1_200; i++) {
            values[i] += 0.1 * (i - 800);
        }

        List<String> fired = run(detector, state, values);

        assertThat(fired.subList(0, 800)).containsOnlyNulls();
        int first = fired.subList(800, 1_200).indexOf(Anomalies.TREND_DETECTOR);
        assertThat(first).as("the drift is noticed while it is still small").isBetween(0, 100);
    }

    @Test
    void defaults_ensembleOnCleanNoise_raisesNoFalseAlarms() {
        EwmaZScoreDetector detector = new EwmaZScoreDetector(DetectorSettings.DEFAULTS);
        Random random = new Random(99);
        EwmaState state = new EwmaState();
        double[] values = noise(random, 20_000, 1);
        for (int i = 0; i < values.length; i++) {
            values[i] += 50;
        }

        assertThat(run(detector, state, values)).containsOnlyNulls();
    }

    @Test
    void scaleFloor_sparseSeries_usualBlipIsNormalButABurstIsNot() {
        EwmaZScoreDetector detector = new EwmaZScoreDetector(DetectorSettings.DEFAULTS);
        EwmaState state = new EwmaState();
        Random random = new Random(17);
        double[] values = new double[600];
        for (int i = 0; i < 600; i++) {
            values[i] = random.nextInt(10) == 0 ? 0.01 : 0.0; // an error ratio with rare 1 % blips
        }

        assertThat(run(detector, state, values)).as("the usual blip").containsOnlyNulls();
        assertThat(detector.score(state, START + 600_000L, 0.5).anomalous()).as("a burst of errors").isTrue();
    }

    @Test
    void timeAwareDecay_aGapWeighsMoreUpToMaxGapPoints() {
        DetectorSettings plain = settings("  seasonalBuckets: 0\n  maxGapPoints: 12\n");
        EwmaZScoreDetector detector = new EwmaZScoreDetector(plain);
        double[] movedFraction = new double[3];
        long[] gapsInIntervals = {1, 5, 1_000};
        for (int g = 0; g < gapsInIntervals.length; g++) {
            EwmaState state = new EwmaState();
            for (int i = 0; i < 100; i++) {
                detector.score(state, START + i * 10_000L, 10 + (i % 2 == 0 ? 0.5 : -0.5));
            }
            double before = state.level;
            detector.score(state, START + (99 + gapsInIntervals[g]) * 10_000L, 10.8);
            movedFraction[g] = (state.level - before) / (10.8 - before);
        }

        // alpha 0.5 per interval: 1 - 0.5^steps of the way to the new value, steps capped at maxGapPoints
        assertThat(movedFraction[0]).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(movedFraction[1]).isCloseTo(1 - Math.pow(0.5, 5), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(movedFraction[2]).isCloseTo(1 - Math.pow(0.5, 12), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void weekendWeight_isContinuousAroundTheWeekend() {
        long saturday = Instant.parse("2026-01-10T00:00:00Z").toEpochMilli();
        assertThat(EwmaZScoreDetector.weekendWeight(Instant.parse("2026-01-07T12:00:00Z").toEpochMilli())).isZero();
        assertThat(EwmaZScoreDetector.weekendWeight(saturday)).isEqualTo(0.5);
        assertThat(EwmaZScoreDetector.weekendWeight(saturday + 43_200_000L)).isEqualTo(1.0);
        assertThat(EwmaZScoreDetector.weekendWeight(Instant.parse("2026-01-12T00:00:00Z").toEpochMilli()))
                .isEqualTo(0.5);
        double previous = EwmaZScoreDetector.weekendWeight(saturday - 86_400_000L);
        for (long t = saturday - 86_400_000L; t < saturday + 3 * 86_400_000L; t += 300_000L) {
            double weight = EwmaZScoreDetector.weekendWeight(t);
            assertThat(Math.abs(weight - previous)).as("step at %s", Instant.ofEpochMilli(t)).isLessThan(0.05);
            previous = weight;
        }
    }

    @Test
    void weeklyProfile_weekendUnlikeWeekdays_isUsedOnWeekendsAndFollowsTheWeekendShape() {
        DetectorSettings weekly = settings("  weeklyProfile: true\n");
        EwmaZScoreDetector withWeekly = new EwmaZScoreDetector(weekly);
        EwmaZScoreDetector withoutWeekly = new EwmaZScoreDetector(DetectorSettings.DEFAULTS);
        EwmaState a = new EwmaState();
        EwmaState b = new EwmaState();
        Random random = new Random(4);
        double errorWith = 0;
        double errorWithout = 0;
        int alarmsWith = 0;
        for (int i = 0; i < 35 * 288; i++) {
            long ts = START + i * 300_000L;
            boolean weekend = EwmaZScoreDetector.isWeekend(ts);
            double hour = (ts % 86_400_000L) / 3_600_000.0;
            // weekdays peak at noon, weekends are flat: a shape the daily profile alone cannot serve both ways
            double value = 100 + (weekend ? 0 : 30 * Math.exp(-Math.pow(hour - 12, 2) / 8)) + random.nextGaussian();
            EwmaScore sa = withWeekly.score(a, ts, value);
            EwmaScore sb = withoutWeekly.score(b, ts, value);
            if (i >= 28 * 288 && weekend) {
                errorWith += Math.abs(100 - sa.expected());
                errorWithout += Math.abs(100 - sb.expected());
                alarmsWith += sa.anomalous() ? 1 : 0;
            }
        }

        assertThat(a.weeklyStructure).isTrue();
        assertThat(errorWith).isLessThan(0.9 * errorWithout);
        assertThat(alarmsWith).isZero();
    }

    @Test
    void state_withAllProfiles_serializesUnderOneKilobyte() throws IOException {
        EwmaZScoreDetector detector = new EwmaZScoreDetector(settings("  weeklyProfile: true\n"));
        EwmaState state = new EwmaState();
        Random random = new Random(1);
        for (int i = 0; i < 10 * 288; i++) {
            detector.score(state, START + i * 300_000L, 100 + random.nextGaussian());
        }
        TypeSerializer<EwmaState> serializer =
                TypeInformation.of(EwmaState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(state, out);

        assertThat(state.weekendProfile).isNotNull();
        assertThat(out.length()).isLessThan(1024);
        EwmaState copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy.level).isEqualTo(state.level);
        assertThat(copy.weekendProfile).containsExactly(state.weekendProfile);
    }
}
