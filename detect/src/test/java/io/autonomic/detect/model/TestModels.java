package io.autonomic.detect.model;

import static io.autonomic.detect.TestPoints.LATENCY;

import io.autonomic.detect.TestPoints;
import io.autonomic.models.anomaly.ResourceAnomalyModel;
import io.autonomic.models.features.FeatureExtractor;
import io.autonomic.models.forecast.ExhaustionScenarios;
import io.autonomic.models.forecast.FailureForecastModel;
import io.autonomic.models.forecast.ForecastExample;
import io.autonomic.models.forecast.ForecastExamples;
import io.autonomic.models.forecast.LabeledSeries;
import io.autonomic.models.forecast.TimeToExhaustionModel;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small seeded one-class SVMs over two signals of a process, and the points and topic records that feed them. A
 * healthy process's latency follows its CPU; a wedged one answers slowly at low CPU. Also small seeded failure
 * forecast models, and utilization series (a disk filling, a healthy one) to forecast.
 */
final class TestModels {

    static final String CPU = "process.cpu.utilization";
    static final List<String> SIGNALS = List.of(CPU, LATENCY);
    static final String MODELS_TOPIC = "autonomic.models";

    private static final AvroSerde<ModelRelease> SERDE = AvroSerde.of(ModelRelease.class);

    private TestModels() {
    }

    static List<Map<String, Double>> healthy(long seed, int rows) {
        Random random = new Random(seed);
        List<Map<String, Double>> healthy = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            double load = random.nextDouble();
            healthy.add(Map.of(CPU, 0.2 + 0.5 * load + 0.01 * random.nextGaussian(),
                    LATENCY, 0.04 + 0.03 * load + 0.001 * random.nextGaussian()));
        }
        return healthy;
    }

    /** A model of {@code kind}; another {@code seed} gives another version. */
    static ResourceAnomalyModel train(String kind, long seed) {
        return ResourceAnomalyModel.train(kind, FeatureExtractor.of(SIGNALS), healthy(seed, 300), 0.01, 0.1,
                "synthetic seed " + seed);
    }

    static ModelRelease release(ResourceAnomalyModel model) {
        return model.release(TestPoints.T0, Map.of());
    }

    static KafkaRecord record(ModelRelease release) {
        return record(release.getModelName(), SERDE.encode(release));
    }

    static KafkaRecord record(String key, byte[] value) {
        return new KafkaRecord(MODELS_TOPIC, 0, 0, TestPoints.T0, key == null ? null
                : key.getBytes(StandardCharsets.UTF_8), value);
    }

    static KafkaRecord tombstone(String modelName) {
        return record(modelName, null);
    }

    /** Both signals of {@code resourceId} at one instant. */
    static List<EnrichedPoint> snapshot(String resourceId, long timestampMillis, double cpu, double latency) {
        return List.of(TestPoints.gauge(resourceId, CPU, timestampMillis, cpu),
                TestPoints.gauge(resourceId, LATENCY, timestampMillis, latency));
    }

    static List<EnrichedPoint> healthySnapshot(String resourceId, long timestampMillis) {
        return snapshot(resourceId, timestampMillis, 0.45, 0.055);
    }

    static List<EnrichedPoint> wedgedSnapshot(String resourceId, long timestampMillis) {
        return snapshot(resourceId, timestampMillis, 0.25, 0.5);
    }

    static List<EnrichedPoint> ofKind(List<EnrichedPoint> points, ResourceKind kind) {
        List<EnrichedPoint> copies = new ArrayList<>();
        for (EnrichedPoint point : points) {
            EnrichedPoint copy = EnrichedPoint.newBuilder(point).build();
            copy.getPoint().getResource().setKind(kind);
            copies.add(copy);
        }
        return copies;
    }

    /** The two forecast models trained together: whether a series fails within 30 minutes, and the time left. */
    record ForecastModels(FailureForecastModel classifier, TimeToExhaustionModel regression) {

        ModelRelease classifierRelease() {
            return classifier.release(TestPoints.T0);
        }

        ModelRelease regressionRelease() {
            return regression.release(TestPoints.T0);
        }
    }

    static final Duration FORECAST_HORIZON = Duration.ofMinutes(30);
    static final int FORECAST_SCENARIOS = 30;
    private static final Map<Long, ForecastModels> FORECASTS = new HashMap<>();

    /**
     * Forecast models trained on {@link #FORECAST_SCENARIOS} generated scenarios of {@code seed} (about two seconds);
     * another seed gives other versions. Kept per seed for the test JVM, since training is the slow part.
     */
    static synchronized ForecastModels trainForecast(long seed) {
        return FORECASTS.computeIfAbsent(seed, s -> {
            List<ForecastExample> rows = ForecastExamples.of(ExhaustionScenarios.trainingSet(s, FORECAST_SCENARIOS)
                    .stream().map(LabeledSeries::of).toList(), FORECAST_HORIZON);
            return new ForecastModels(
                    FailureForecastModel.train(rows, FORECAST_HORIZON, FailureForecastModel.DEFAULT_THRESHOLD,
                            FailureForecastModel.DEFAULT_CONFIRMATION, s, "generated scenarios, seed " + s),
                    TimeToExhaustionModel.train(rows, FORECAST_HORIZON, s, "generated scenarios, seed " + s));
        });
    }

    /** Sampling of the utilization series. */
    static final long UTILIZATION_STEP_MILLIS = 10_000;

    /**
     * A disk at 40 % for {@code calmMinutes}, then filling at {@code percentPerMinute} (with write bursts and noise,
     * seeded) until full: utilization values every {@link #UTILIZATION_STEP_MILLIS}.
     */
    static double[] fillingDisk(long seed, int calmMinutes, double percentPerMinute) {
        Random random = new Random(seed);
        List<Double> values = new ArrayList<>();
        double used = 0.40;
        for (int i = 0; i < calmMinutes * 6; i++) {
            values.add(used + 0.002 * random.nextGaussian());
        }
        double perStep = percentPerMinute / 100.0 / 6.0;
        while (used < 1.0) {
            used = Math.min(1.0, used + perStep * (random.nextDouble() < 0.2 ? 3.0 : 0.5));
            values.add(Math.max(0, Math.min(1.0, used + 0.002 * random.nextGaussian())));
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A healthy disk: flat at 70 % with 1 % noise, seeded, for {@code minutes}. */
    static double[] flatNoisyDisk(long seed, int minutes) {
        Random random = new Random(seed);
        double[] values = new double[minutes * 6];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.70 + 0.01 * random.nextGaussian();
        }
        return values;
    }

    /** The gauge points of one utilization series of {@code resourceId}, from {@code startMillis}. */
    static List<EnrichedPoint> utilization(String resourceId, String metric, long startMillis, double[] values) {
        List<EnrichedPoint> points = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            points.add(TestPoints.gauge(resourceId, metric, startMillis + i * UTILIZATION_STEP_MILLIS, values[i]));
        }
        return points;
    }
}
