package io.autonomic.ingest;

import static io.autonomic.ingest.OtlpRequests.attr;
import static io.autonomic.ingest.OtlpRequests.doublePoint;
import static io.autonomic.ingest.OtlpRequests.gauge;
import static io.autonomic.ingest.OtlpRequests.intPoint;
import static io.autonomic.ingest.OtlpRequests.request;
import static io.autonomic.ingest.OtlpRequests.resource;
import static io.autonomic.ingest.OtlpRequests.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IngestJobTest {

    static {
        // Surefire points java.io.tmpdir into target/; MiniCluster expects the directory to exist.
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final Duration KAFKA_WAIT = Duration.ofSeconds(60);

    @Test
    void build_otlpRecordsOnKafka_becomePointsKeyedByResourceAndDeadLetters() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Options options = Options.parse(new String[] {
                "--bootstrap-servers", bootstrap,
                "--checkpoint-interval", "1s",
                "--parallelism", "1",
                "--group-id-prefix", "ingest-test-" + run,
                "--topic.otlp-metrics=otlp-" + run,
                "--topic.points=points-" + run,
                "--topic.dead-letters=dead-letters-" + run,
        }, IngestJob.options(), List.of(PipelineOptions.TOPIC_PREFIX));
        Topics topics = PipelineOptions.topics(options);
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.otlpMetrics(), topics.points(), topics.deadLetters()), 1, (short) 1);

        byte[] good = request(resource(attr("service.name", "checkout"), attr("k8s.pod.name", "checkout-7d9f"),
                        attr("k8s.namespace.name", "prod")),
                gauge("process.cpu.utilization", doublePoint(0.92)),
                sum("http.requests", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true,
                        intPoint(17, attr("route", "/pay"))))
                .toByteArray();
        byte[] garbage = OtlpRequests.garbage();
        KafkaTestClients.produce(bootstrap, topics.otlpMetrics(), List.of(
                new ProducerRecord<>(topics.otlpMetrics().name(), null, good),
                new ProducerRecord<>(topics.otlpMetrics().name(), null, garbage)));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KafkaIO.configureCheckpointing(env, options);
        IngestJob.build(env, options);
        JobClient job = env.executeAsync("ingest-test-" + run);
        List<ConsumerRecord<String, TelemetryPoint>> points;
        List<ConsumerRecord<String, DeadLetter>> deadLetters;
        try {
            points = KafkaTestClients.consumeUntil(bootstrap, topics.points(), read -> read.size() >= 2, KAFKA_WAIT);
            deadLetters = KafkaTestClients.consumeUntil(bootstrap, topics.deadLetters(), read -> !read.isEmpty(),
                    KAFKA_WAIT);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(points).extracting(ConsumerRecord::key, r -> r.value().getMetric(), r -> r.value().getValue())
                .containsExactly(
                        tuple("k8s-pod:prod/checkout-7d9f", "process.cpu.utilization", 0.92),
                        tuple("k8s-pod:prod/checkout-7d9f", "http.requests", 17.0));
        assertThat(points.get(1).value()).satisfies(point -> {
            assertThat(point.getResource().getKind()).isEqualTo(ResourceKind.K8S_POD);
            assertThat(point.getResource().getService()).isEqualTo("checkout");
            assertThat(point.getMonotonic()).isTrue();
            assertThat(point.getSeriesKey()).isEqualTo("k8s-pod:prod/checkout-7d9f|http.requests{route=/pay}");
            assertThat(point.getTimestampMillis()).isEqualTo(OtlpRequests.NOW.toEpochMilli());
        });
        assertThat(deadLetters).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("ingest/malformed-protobuf");
            DeadLetter letter = record.value();
            assertThat(letter.getStage()).isEqualTo("ingest");
            assertThat(letter.getReason()).isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF);
            assertThat(letter.getSourceTopic()).isEqualTo(topics.otlpMetrics().name());
            assertThat(letter.getSourcePartition()).isZero();
            assertThat(letter.getSourceOffset()).isEqualTo(1);
            ByteBuffer value = letter.getValue().duplicate();
            byte[] bytes = new byte[value.remaining()];
            value.get(bytes);
            assertThat(bytes).isEqualTo(garbage);
        });
    }

    @Test
    void options_listPipelineAndJobOptions() {
        assertThat(IngestJob.options()).containsAll(PipelineOptions.ALL).containsAll(IngestOptions.JOB);
    }

    @Test
    void main_unknownOption_failsNamingItAndListingTheOptions() {
        assertThatThrownBy(() -> IngestJob.main(new String[] {"--bootstrap-server", "k:9092"}))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("--bootstrap-server")
                .hasMessageContaining("--create-topics")
                .hasMessageContaining("--checkpoint-interval");
    }

    @Test
    void main_unknownTopicId_failsFast() {
        assertThatThrownBy(() -> IngestJob.main(new String[] {"--topic.otlp=x"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("otlp");
    }
}
