package io.autonomic.models.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryRecordingTest {

    private static final long START = 1_767_225_600_000L;

    @TempDir
    Path dir;

    @Test
    void readFile_csvWithHeaderIsoAndUnixTimes_groupsSeriesInTimeOrder() throws Exception {
        Path csv = write("recording.csv", """
                timestamp,resource,metric,value,label
                2026-01-01T00:00:10Z,host-1,system.filesystem.utilization,0.51,
                1767225600,host-1,system.filesystem.utilization,0.50,0
                1767225600.5,host-2,jvm.memory.utilization,0.30
                2026-01-01T00:00:20+00:00,host-1,system.filesystem.utilization,0.99,1
                """);

        TelemetryRecording recording = TelemetryRecording.readFile(csv);

        assertThat(recording.pointCount()).isEqualTo(4);
        List<TelemetryRecording.Series> series = recording.series();
        assertThat(series).extracting(TelemetryRecording.Series::key)
                .containsExactly("host-1|system.filesystem.utilization", "host-2|jvm.memory.utilization");
        TelemetryRecording.Series disk = series.get(0);
        assertThat(disk.timesMillis()).containsExactly(START, START + 10_000, START + 20_000);
        assertThat(disk.values()).containsExactly(0.50, 0.51, 0.99);
        assertThat(disk.labels()).containsExactly(0, -1, 1);
        assertThat(series.get(1).timesMillis()).containsExactly(START + 500);
        assertThat(recording.series(m -> m.startsWith("jvm."))).hasSize(1);
    }

    @Test
    void readFile_malformedLine_failsNamingFileAndLine() throws Exception {
        Path csv = write("bad.csv", """
                1767225600,host-1,disk.utilization,0.5
                yesterday,host-1,disk.utilization,0.6
                """);

        assertThatThrownBy(() -> TelemetryRecording.readFile(csv)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.csv:2").hasMessageContaining("yesterday");
        Path columns = write("columns.csv", "1767225600,host-1,0.5\n");
        assertThatThrownBy(() -> TelemetryRecording.readFile(columns)).hasMessageContaining("columns.csv:1")
                .hasMessageContaining("timestamp,resource,metric,value[,label]");
    }

    @Test
    void readFile_jsonLinesOfPointsAndEnrichedPoints_readsBoth() throws Exception {
        TelemetryPoint point = point("host-1", "process.memory.utilization", START, 0.4);
        Path jsonl = write("points.jsonl", point + "\n"
                + "{\"point\": " + point("host-1", "process.memory.utilization", START + 10_000, 0.45)
                + ", \"label\": 1}\n\n");

        TelemetryRecording recording = TelemetryRecording.readFile(jsonl);

        TelemetryRecording.Series series = recording.series().get(0);
        assertThat(series.key()).isEqualTo(point.getSeriesKey());
        assertThat(series.values()).containsExactly(0.4, 0.45);
        assertThat(series.labels()).containsExactly(-1, 1);
        Path bad = write("bad.jsonl", "{\"metric\": \"m\", \"value\": 1}\n");
        assertThatThrownBy(() -> TelemetryRecording.readFile(bad)).hasMessageContaining("bad.jsonl:1")
                .hasMessageContaining("resource.id");
    }

    @Test
    void snapshots_latestValuePerMetricPerBucket() throws Exception {
        Path csv = write("snap.csv", """
                1767225600,host-1,cpu,0.1
                1767225605,host-1,cpu,0.2
                1767225606,host-1,memory,0.7,1
                1767225612,host-1,cpu,0.3
                1767225601,host-2,cpu,0.9
                """);

        List<TelemetryRecording.Snapshot> snapshots = TelemetryRecording.readFile(csv)
                .snapshots(Duration.ofSeconds(10));

        assertThat(snapshots).containsExactly(
                new TelemetryRecording.Snapshot("host-1", START, Map.of("cpu", 0.2, "memory", 0.7), 1),
                new TelemetryRecording.Snapshot("host-1", START + 10_000, Map.of("cpu", 0.3), -1),
                new TelemetryRecording.Snapshot("host-2", START, Map.of("cpu", 0.9), -1));
    }

    @Test
    void readPoints_recordedTopic_readsUpToTheEndAndSkipsWhatDoesNotDecode() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = Topics.withOverrides(Map.of("points", "models.points.recording"));
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.points()), 2, (short) 1);
        List<ProducerRecord<String, TelemetryPoint>> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TelemetryPoint p = point("host-" + (i % 2), "system.filesystem.utilization", START + i * 10_000L,
                    0.5 + i * 0.001);
            records.add(new ProducerRecord<>(topics.points().name(), p.getResource().getId(), p));
        }
        KafkaTestClients.produce(bootstrap, topics.points(), records);
        produceGarbage(bootstrap, topics.points().name());

        TelemetryRecording recording = TelemetryRecording.readPoints(bootstrap, topics.points(),
                Duration.ofSeconds(60));

        assertThat(recording.pointCount()).isEqualTo(50);
        assertThat(recording.skippedRecords()).isEqualTo(1);
        assertThat(recording.series()).hasSize(2).allSatisfy(s -> {
            assertThat(s.size()).isEqualTo(25);
            assertThat(s.timesMillis()).isSorted();
        });
        assertThat(recording.source()).isEqualTo("topic models.points.recording");
    }

    @Test
    void readEnriched_recordedTopic_readsThePointsInside() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = Topics.withOverrides(Map.of("enriched", "models.enriched.recording"));
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.enrichedPoints()), 1, (short) 1);
        List<ProducerRecord<String, EnrichedPoint>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            EnrichedPoint e = EnrichedPoint.newBuilder()
                    .setPoint(point("db-1", "db.pool.utilization", START + i * 10_000L, 0.1 * i))
                    .setContext(TopologyContext.newBuilder().build()).build();
            records.add(new ProducerRecord<>(topics.enrichedPoints().name(), "db-1", e));
        }
        KafkaTestClients.produce(bootstrap, topics.enrichedPoints(), records);

        TelemetryRecording recording = TelemetryRecording.readEnriched(bootstrap, topics.enrichedPoints(),
                Duration.ofSeconds(60));

        assertThat(recording.series()).singleElement().satisfies(s -> {
            assertThat(s.resource()).isEqualTo("db-1");
            assertThat(s.values()).hasSize(10).startsWith(0.0, 0.1);
        });
    }

    private static void produceGarbage(String bootstrap, String topic) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "x".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    static TelemetryPoint point(String resource, String metric, long millis, double value) {
        return TelemetryPoint.newBuilder()
                .setResource(Resource.newBuilder().setId(resource).setKind(ResourceKind.HOST_PROCESS).build())
                .setMetric(metric).setType(MetricType.GAUGE).setSeriesKey(resource + "/" + metric)
                .setTimestampMillis(millis).setValue(value).build();
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
