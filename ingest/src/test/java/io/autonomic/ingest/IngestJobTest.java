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
import java.nio.charset.StandardCharsets;
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

    /** One ingest run against fresh topics; returns the points and dead letters once {@code expectedPoints} arrived. */
    private record Run(List<ConsumerRecord<String, TelemetryPoint>> points,
            List<ConsumerRecord<String, DeadLetter>> deadLetters, Topics topics) {
    }

    private static Run ingest(List<String> extraArgs, List<byte[]> metricRecords, List<byte[]> cloudEventRecords,
            int expectedPoints, int expectedDeadLetters) throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new java.util.ArrayList<>(List.of(
                "--bootstrap-servers", bootstrap,
                "--checkpoint-interval", "1s",
                "--parallelism", "1",
                "--group-id-prefix", "ingest-test-" + run,
                "--topic.otlp-metrics=otlp-" + run,
                "--topic.cloud-events=cloud-" + run,
                "--topic.points=points-" + run,
                "--topic.dead-letters=dead-letters-" + run,
                // traces and logs have their own end-to-end test (TracesLogsIngestTest)
                "--traces", "false",
                "--logs", "false"));
        args.addAll(extraArgs);
        Options options = Options.parse(args.toArray(String[]::new), IngestJob.options(),
                List.of(PipelineOptions.TOPIC_PREFIX));
        Topics topics = PipelineOptions.topics(options);
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.otlpMetrics(), topics.cloudEvents(), topics.points(),
                topics.deadLetters()), 1, (short) 1);
        KafkaTestClients.produce(bootstrap, topics.otlpMetrics(), metricRecords.stream()
                .map(bytes -> new ProducerRecord<byte[], byte[]>(topics.otlpMetrics().name(), null, bytes)).toList());
        if (!cloudEventRecords.isEmpty()) {
            KafkaTestClients.produce(bootstrap, topics.cloudEvents(), cloudEventRecords.stream()
                    .map(bytes -> new ProducerRecord<byte[], byte[]>(topics.cloudEvents().name(), null, bytes)).toList());
        }

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KafkaIO.configureCheckpointing(env, options);
        IngestJob.build(env, options);
        JobClient job = env.executeAsync("ingest-test-" + run);
        try {
            List<ConsumerRecord<String, TelemetryPoint>> points = KafkaTestClients.consumeUntil(bootstrap,
                    topics.points(), read -> read.size() >= expectedPoints, KAFKA_WAIT);
            List<ConsumerRecord<String, DeadLetter>> deadLetters = expectedDeadLetters == 0 ? List.of()
                    : KafkaTestClients.consumeUntil(bootstrap, topics.deadLetters(),
                            read -> read.size() >= expectedDeadLetters, KAFKA_WAIT);
            return new Run(points, deadLetters, topics);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void build_protobufRecordsAndCloudEvents_becomePointsRatesAndDeadLetters() throws Exception {
        io.opentelemetry.proto.resource.v1.Resource pod = resource(attr("service.name", "checkout"),
                attr("k8s.pod.name", "checkout-7d9f"), attr("k8s.namespace.name", "prod"));
        byte[] good = request(pod,
                gauge("process.cpu.utilization", doublePoint(0.92)),
                sum("http.requests", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true,
                        intPoint(17, attr("route", "/pay"))))
                .toByteArray();
        // the same counter 10 s later: 17 -> 67 is 5 requests per second
        byte[] later = request(pod, sum("http.requests", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                true, intPoint(67, attr("route", "/pay")).setTimeUnixNano(OtlpRequests.NOW_NANOS + 10_000_000_000L)))
                .toByteArray();
        byte[] garbage = OtlpRequests.garbage();
        byte[] alarm = io.autonomic.ingest.cloud.CloudEventNormalizerTest.ALARM_EVENT.getBytes(StandardCharsets.UTF_8);
        byte[] notAnEvent = "{\"detail-type\": ".getBytes(StandardCharsets.UTF_8);

        Run run = ingest(List.of(), List.of(good, garbage, later), List.of(alarm, notAnEvent), 5, 2);

        assertThat(run.points()).extracting(ConsumerRecord::key, r -> r.value().getMetric(), r -> r.value().getValue())
                .containsExactlyInAnyOrder(
                        tuple("k8s-pod:prod/checkout-7d9f", "process.cpu.utilization", 0.92),
                        tuple("k8s-pod:prod/checkout-7d9f", "http.requests", 17.0),
                        tuple("k8s-pod:prod/checkout-7d9f", "http.requests", 67.0),
                        tuple("k8s-pod:prod/checkout-7d9f", "http.requests.rate", 5.0),
                        tuple("ec2-instance:arn:aws:ec2:us-east-1:123456789012:instance/i-12345678901234567",
                                "aws.cloudwatch.alarm.state", 1.0));
        assertThat(run.points()).filteredOn(r -> r.value().getMetric().equals("http.requests")).first()
                .satisfies(record -> {
                    TelemetryPoint point = record.value();
                    assertThat(point.getResource().getKind()).isEqualTo(ResourceKind.K8S_POD);
                    assertThat(point.getResource().getService()).isEqualTo("checkout");
                    assertThat(point.getMonotonic()).isTrue();
                    assertThat(point.getSeriesKey()).isEqualTo("k8s-pod:prod/checkout-7d9f|http.requests{route=/pay}");
                    assertThat(point.getTimestampMillis()).isEqualTo(OtlpRequests.NOW.toEpochMilli());
                });
        assertThat(run.deadLetters()).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "ingest/malformed-protobuf", "ingest-cloud-events/malformed-event-json");
        assertThat(run.deadLetters()).filteredOn(r -> r.value().getStage().equals("ingest")).singleElement()
                .satisfies(record -> {
                    DeadLetter letter = record.value();
                    assertThat(letter.getReason()).isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF);
                    assertThat(letter.getSourceTopic()).isEqualTo(run.topics().otlpMetrics().name());
                    assertThat(letter.getSourcePartition()).isZero();
                    assertThat(letter.getSourceOffset()).isEqualTo(1);
                    ByteBuffer value = letter.getValue().duplicate();
                    byte[] bytes = new byte[value.remaining()];
                    value.get(bytes);
                    assertThat(bytes).isEqualTo(garbage);
                });
    }

    @Test
    void build_collectorOtlpJsonRecords_everyMetricTypeBecomesPoints() throws Exception {
        Run run = ingest(List.of("--encoding.metrics", "otlp_json", "--cloud-events", "false"),
                List.of(CollectorMessages.everyMetricTypeJson(), "{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8)),
                List.of(), CollectorMessages.EVERY_METRIC_TYPE_POINTS, 1);

        assertThat(run.points()).extracting(r -> r.value().getMetric())
                .containsExactlyInAnyOrderElementsOf(CollectorMessages.EVERY_METRIC_TYPE_METRICS);
        assertThat(run.points()).allSatisfy(r -> assertThat(r.key()).isEqualTo("process:ip-10-0-1-17/checkout"));
        assertThat(run.points()).filteredOn(r -> r.value().getMetric().equals("http.server.request.duration.p99"))
                .singleElement().satisfies(r -> assertThat(r.value().getExemplars()).singleElement()
                        .satisfies(e -> assertThat(e.getTraceId()).isEqualTo(CollectorMessages.TRACE_ID)));
        assertThat(run.deadLetters()).singleElement()
                .satisfies(r -> assertThat(r.value().getReason()).isEqualTo(OtlpDecodeException.MALFORMED_JSON));
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
