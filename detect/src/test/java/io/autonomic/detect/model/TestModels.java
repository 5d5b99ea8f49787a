package io.autonomic.detect.model;

import static io.autonomic.detect.TestPoints.LATENCY;

import io.autonomic.detect.TestPoints;
import io.autonomic.models.anomaly.ResourceAnomalyModel;
import io.autonomic.models.features.FeatureExtractor;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small seeded one-class SVMs over two signals of a process, and the points and topic records that feed them. A
 * healthy process's latency follows its CPU; a wedged one answers slowly at low CPU.
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
}
