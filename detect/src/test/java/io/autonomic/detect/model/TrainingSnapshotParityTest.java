package io.autonomic.detect.model;

import static io.autonomic.detect.TestPoints.counter;
import static io.autonomic.detect.TestPoints.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.models.training.TelemetryRecording;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * A model is trained on the values it is later scored on: for the same points, the snapshots the live scoring hands
 * its models and the training snapshots of a {@link TelemetryRecording} hold the same values — gauges as they are,
 * counters as per-second rates (none after the first reading or a reset), slower metrics carried while fresh.
 */
class TrainingSnapshotParityTest {

    private static final String RESOURCE = "process:host-1/checkout";
    private static final String CPU = "process.cpu.utilization";
    private static final String REQUESTS = "http.server.request.count";
    private static final String DISK = "process.log_dir.utilization";
    private static final long T0 = 1_767_225_600_000L;
    private static final long SCRAPE_MILLIS = 10_000;

    /** What the live models were asked to judge, in order. */
    private static final List<Map<String, Double>> JUDGED = new CopyOnWriteArrayList<>();

    /** A family whose one model remembers every snapshot and finds nothing. */
    private static final class RecordingFamily implements LiveModelFamily {

        @Override
        public String family() {
            return "recording";
        }

        @Override
        public List<String> candidateNames(ResourceKind kind) {
            return List.of("recording/all");
        }

        @Override
        public LiveModel load(ModelRelease release) {
            return new LiveModel() {
                @Override
                public String name() {
                    return release.getModelName();
                }

                @Override
                public String version() {
                    return release.getVersion();
                }

                @Override
                public List<String> signals() {
                    return release.getSignals();
                }

                @Override
                public Optional<Finding> evaluate(Map<String, Double> signals) {
                    JUDGED.add(Map.copyOf(signals));
                    return Optional.empty();
                }
            };
        }
    }

    /**
     * 40 scrapes 10 s apart: cpu (gauge) and the request count (counter, reset at scrape 20) every scrape, the log
     * directory's utilization every third scrape, and a gap of 90 s after scrape 30 in which it goes stale.
     */
    private static List<EnrichedPoint> points() {
        Random random = new Random(11);
        List<EnrichedPoint> points = new ArrayList<>();
        double requests = 500;
        long t = T0;
        for (int i = 0; i < 40; i++) {
            t += i == 31 ? 9 * SCRAPE_MILLIS : SCRAPE_MILLIS;
            requests = i == 20 ? 7 : requests + 100 + random.nextInt(40);
            points.add(gauge(RESOURCE, CPU, t, 0.3 + 0.05 * random.nextGaussian()));
            points.add(counter(RESOURCE, REQUESTS, t, requests));
            if (i % 3 == 0 && i != 33) {
                points.add(gauge(RESOURCE, DISK, t, 0.4 + 0.001 * i));
            }
        }
        return points;
    }

    @Test
    void liveSnapshots_equalTheTrainingSnapshotsOfTheSamePoints() throws Exception {
        JUDGED.clear();
        ModelRelease release = ModelRelease.newBuilder().setModelName("recording/all").setFamily("recording")
                .setVersion("1").setPayload(ByteBuffer.allocate(0)).setSignals(List.of(CPU, REQUESTS, DISK))
                .setPublishedAtMillis(T0).build();
        ResourceModelScoringFunction function = new ResourceModelScoringFunction(
                LiveModelRegistry.of(List.of(new RecordingFamily())), List.of(release), Duration.ofHours(1),
                Duration.ZERO, ResourceModelScoringFunction.DEFAULT_SIGNAL_MAX_AGE);
        List<EnrichedPoint> points = points();
        try (KeyedBroadcastOperatorTestHarness<String, EnrichedPoint, KafkaRecord, Anomaly> harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function,
                        p -> p.getPoint().getResource().getId(), Types.STRING,
                        ResourceModelScoringFunction.RELEASES, ResourceModelScoringFunction.WITHDRAWN)) {
            for (EnrichedPoint point : points) {
                harness.processElement(point, point.getPoint().getTimestampMillis());
            }
        }

        List<Map<String, Double>> trained = TelemetryRecording.of(points.stream().map(EnrichedPoint::getPoint)
                        .toList(), "test").snapshots(Duration.ofMillis(SCRAPE_MILLIS),
                        ResourceModelScoringFunction.DEFAULT_SIGNAL_MAX_AGE).stream()
                .map(TelemetryRecording.Snapshot::signals).toList();

        assertThat(JUDGED).as("live scores every snapshot but the last, still open").hasSize(39);
        assertThat(JUDGED).containsExactlyElementsOf(trained.subList(0, 39));
        assertThat(trained.get(0)).as("no rate yet").doesNotContainKey(REQUESTS).containsKeys(CPU, DISK);
        assertThat(trained.get(20)).as("the reset").doesNotContainKey(REQUESTS);
        assertThat(trained.get(21).get(REQUESTS)).isBetween(10.0, 14.0);
        assertThat(trained.get(2)).as("the disk reading of scrape 0, 20 s old").containsKey(DISK);
        assertThat(trained.get(32)).as("the disk reading of scrape 30, 100 s old").doesNotContainKey(DISK);
    }
}
