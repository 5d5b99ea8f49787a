package io.autonomic.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.models.features.TrendFeatures;
import io.autonomic.models.features.TrendState;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.ModelRelease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forecast models trained once on generated scenarios (seed 1), then checked on scenarios they never saw: the
 * named exhaustion scenarios of {@link ExhaustionScenarios#all} (seed 42) and the healthy controls.
 */
class ForecastModelsTest {

    private static final Duration HORIZON = Duration.ofMinutes(30);
    private static final long START = 1_767_225_600_000L;

    private static FailureForecastModel classifier;
    private static TimeToExhaustionModel regression;

    @BeforeAll
    static void train() {
        List<ForecastExample> rows = ForecastExamples.of(ExhaustionScenarios.trainingSet(1, 80).stream()
                .map(LabeledSeries::of).toList(), HORIZON);
        classifier = FailureForecastModel.train(rows, HORIZON, FailureForecastModel.DEFAULT_THRESHOLD,
                FailureForecastModel.DEFAULT_CONFIRMATION, 7, "generated scenarios, seed 1");
        regression = TimeToExhaustionModel.train(rows, HORIZON, 7, "generated scenarios, seed 1");
    }

    /** Disks at 2, 0.5 and 0.1 % per minute and a memory leak: all forecast in time, the slow ones 5+ min ahead. */
    @Test
    void forecast_exhaustionScenarios_fireBeforeExhaustion() {
        for (ExhaustionScenarios.Scenario scenario : ExhaustionScenarios.all(42)) {
            if (scenario.exhaustedAtMillis() < 0) {
                continue;
            }
            ForecastEvaluation.Replay replay = ForecastEvaluation.replay(LabeledSeries.of(scenario), classifier);
            System.out.println("forecast " + replay.summary());

            assertThat(replay.firedBeforeExhaustion()).as(scenario.name()).isTrue();
            boolean slow = scenario.name().contains("0.5 %/min") || scenario.name().contains("0.1 %/min");
            assertThat(replay.leadTime()).as(scenario.name())
                    .isGreaterThanOrEqualTo(slow ? Duration.ofMinutes(5) : Duration.ofSeconds(30));
        }
    }

    @Test
    void forecast_healthyControls_neverFire() {
        for (ExhaustionScenarios.Scenario scenario : ExhaustionScenarios.healthyControls(42)) {
            ForecastEvaluation.Replay replay = ForecastEvaluation.replay(LabeledSeries.of(scenario), classifier);
            System.out.println("forecast " + replay.summary());

            assertThat(replay.firings()).as(scenario.name()).isZero();
        }
    }

    @Test
    void forecast_beforeWarmUp_neverFails() {
        TrendState state = new TrendState();
        // filling fast, but only 4 minutes seen
        for (int i = 0; i < 24; i++) {
            TrendFeatures.DEFAULT.update(state, START + i * 10_000L, 0.90 + 0.004 * i);
        }

        FailureForecastModel.Prediction prediction = classifier.forecast(state);

        assertThat(prediction.fails()).isFalse();
        assertThat(prediction.modelVersion()).isEqualTo(classifier.modelVersion());
    }

    @Test
    void predict_timeToExhaustion_steadyRise_isWithinAFactorOfTwo() {
        TrendState state = new TrendState();
        // 1 % per minute, every 10 s, for 20 minutes, ending at 70 %: 30 minutes left
        for (int i = 0; i <= 120; i++) {
            TrendFeatures.DEFAULT.update(state, START + i * 10_000L, 0.50 + 0.01 * i / 6.0);
        }

        TimeToExhaustionModel.Estimate estimate = regression.predict(state);
        System.out.println("time to exhaustion with 30 min left: " + estimate.timeToExhaustion());

        assertThat(estimate.timeToExhaustion()).isBetween(Duration.ofMinutes(15), Duration.ofMinutes(60));
        assertThat(estimate.modelVersion()).isEqualTo(regression.modelVersion());
    }

    @Test
    void fromRelease_releaseRoundTrip_keepsVersionAndPredictions(@TempDir Path dir) throws Exception {
        ModelRelease published = classifier.release(1_000);
        FailureForecastModel loaded = FailureForecastModel.fromRelease(published);
        ModelReleases.write(dir, loaded.release(2_000));
        FailureForecastModel reread = FailureForecastModel.fromRelease(
                ModelReleases.read(dir, FailureForecastModel.MODEL_NAME, 3_000));

        assertThat(published.getModelName()).isEqualTo("forecast/fails-within");
        assertThat(published.getFamily()).isEqualTo("failure-forecast");
        assertThat(published.getSignals()).isEqualTo(TrendFeatures.NAMES);
        assertThat(published.getProvenance()).contains("ExtraTreesTrainer");
        assertThat(loaded.modelVersion()).isEqualTo(classifier.modelVersion()).isEqualTo(published.getVersion());
        assertThat(reread.modelVersion()).isEqualTo(classifier.modelVersion());
        assertThat(reread.horizon()).isEqualTo(HORIZON);
        assertThat(reread.threshold()).isEqualTo(classifier.threshold());
        assertThat(reread.confirmation()).isEqualTo(classifier.confirmation());
        assertThat(loaded.release(5_000).getPublishedAtMillis()).isEqualTo(5_000);
        Random random = new Random(11);
        for (int i = 0; i < 50; i++) {
            double[] features = randomFeatures(random);
            assertThat(reread.predict(features)).isEqualTo(new FailureForecastModel.Prediction(
                    classifier.predict(features).probability(), classifier.predict(features).fails(),
                    classifier.modelVersion()));
        }
    }

    @Test
    void fromRelease_timeToExhaustionRoundTrip_keepsVersionAndEstimates(@TempDir Path dir) throws Exception {
        ModelReleases.write(dir, regression.release(1_000));
        TimeToExhaustionModel reread = TimeToExhaustionModel.fromRelease(
                ModelReleases.read(dir, TimeToExhaustionModel.MODEL_NAME, 2_000));

        assertThat(reread.modelVersion()).isEqualTo(regression.modelVersion());
        Random random = new Random(12);
        for (int i = 0; i < 50; i++) {
            double[] features = randomFeatures(random);
            assertThat(reread.predict(features)).isEqualTo(regression.predict(features));
        }
    }

    @Test
    void fromRelease_wrongFamilyOrFeatures_failsNamingTheModel() {
        ModelRelease regressionRelease = regression.release(1);
        assertThatThrownBy(() -> FailureForecastModel.fromRelease(regressionRelease))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("forecast/time-to-exhaustion").hasMessageContaining("failure-forecast");
        ModelRelease otherFeatures = ModelRelease.newBuilder(classifier.release(1))
                .setSignals(List.of("level", "slope")).build();
        assertThatThrownBy(() -> FailureForecastModel.fromRelease(otherFeatures))
                .hasMessageContaining("forecast/fails-within").hasMessageContaining("[level, slope]");
    }

    @Test
    void train_oneClassOnly_failsExplaining() {
        List<ForecastExample> healthyOnly = ForecastExamples.of(LabeledSeries.of(
                ExhaustionScenarios.healthyControls(3).get(0)), HORIZON);

        assertThatThrownBy(() -> FailureForecastModel.train(healthyOnly, HORIZON, 0.6, Duration.ZERO, 1, "test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both classes");
        assertThatThrownBy(() -> TimeToExhaustionModel.train(healthyOnly, HORIZON, 1, "test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("followed by an exhaustion");
    }

    private static double[] randomFeatures(Random random) {
        double[] features = new double[TrendFeatures.NAMES.size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextDouble() * (i == 10 ? 600 : 1);
        }
        return features;
    }
}
