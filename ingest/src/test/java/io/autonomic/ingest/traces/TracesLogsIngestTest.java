package io.autonomic.ingest.traces;

import io.autonomic.ingest.IngestJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.ingest.logs.LogCounts;
import io.autonomic.ingest.logs.LogPatterns;
import io.autonomic.ingest.logs.LogsIngest;
import io.autonomic.ingest.logs.LogsOptions;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.LogEvent;
import io.autonomic.schemas.avro.ServiceEdge;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/** TracesIngest and LogsIngest in one MiniCluster job, on the shared broker, fed bytes from the real OTel SDK. */
class TracesLogsIngestTest {

    static {
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
    void build_givesEveryOperatorANameAndUid() {
        Options options = Options.parse(new String[] {"--bootstrap-servers", "localhost:9092"}, options(), List.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Topics topics = PipelineOptions.topics(options);
        TracesIngest.build(env, options, new KafkaIO(options, "ingest-traces"), topics);
        LogsIngest.build(env, options, new KafkaIO(options, "ingest-logs"), topics);

        var nodes = env.getStreamGraph().getStreamNodes();
        assertThat(nodes)
                .extracting(org.apache.flink.streaming.api.graph.StreamNode::getOperatorName)
                .contains("Source: otlp-spans-source", "decode-otlp-spans", "red-windows", "service-edges",
                        "Source: otlp-logs-source", "mine-log-templates", "log-count-windows");
        assertThat(nodes).allSatisfy(node ->
                assertThat(node.getTransformationUID()).as(node.getOperatorName()).isNotBlank());
    }

    @Test
    void build_nonPositiveWindow_failsNamingTheOption() {
        Options options = Options.parse(new String[] {"--traces.window", "0s"}, options(), List.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TracesIngest.build(env, options,
                        new KafkaIO(options, "ingest-traces"), PipelineOptions.topics(options)))
                .isInstanceOf(io.autonomic.schemas.OptionException.class)
                .hasMessageContaining("--traces.window");
    }

    private static List<Option<?>> options() {
        return IngestJob.options();
    }

    @Test
    void build_sdkSpansAndLogsOnKafka_becomeRedPointsEdgesLogEventsAndCounts() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Options options = Options.parse(new String[] {
                "--bootstrap-servers", bootstrap,
                "--checkpoint-interval", "1s",
                "--parallelism", "1",
                "--group-id-prefix", "traces-logs-test-" + run,
                "--traces.edge-expiry", "30s",
                "--topic.otlp-metrics=metrics-" + run,
                "--topic.cloud-events=cloud-" + run,
                "--topic.otlp-spans=spans-" + run,
                "--topic.otlp-logs=logs-" + run,
                "--topic.points=points-" + run,
                "--topic.service-edges=edges-" + run,
                "--topic.log-events=log-events-" + run,
                "--topic.dead-letters=dead-letters-" + run,
        }, options(), List.of(PipelineOptions.TOPIC_PREFIX));
        Topics topics = PipelineOptions.topics(options);
        // the whole ingest job runs, so every topic it reads must exist (a Kafka source fails on a missing one)
        TopicAdmin.ensureTopics(bootstrap, topics.all(), 1, (short) 1);

        List<ProducerRecord<byte[], byte[]>> spans = new ArrayList<>();
        // a second service's batch, a minute later, moves the watermark past the first window and checkout's edges'
        // expiry (checkout's own later calls would keep its edges alive)
        for (byte[] body : OtlpCapture.checkoutSpans(3, 0)) {
            spans.add(new ProducerRecord<>(topics.otlpSpans().name(), null, body));
        }
        spans.add(new ProducerRecord<>(topics.otlpSpans().name(), null, "garbage".getBytes(StandardCharsets.UTF_8)));
        for (byte[] body : OtlpCapture.spans("payments", 1, 60)) {
            spans.add(new ProducerRecord<>(topics.otlpSpans().name(), null, body));
        }
        KafkaTestClients.produce(bootstrap, topics.otlpSpans(), spans);
        List<ProducerRecord<byte[], byte[]>> logs = new ArrayList<>();
        for (byte[] body : OtlpCapture.checkoutLogs(List.of("order 17 paid by alice", "order 18 paid by bob",
                "java.lang.OutOfMemoryError: Java heap space"), 0)) {
            logs.add(new ProducerRecord<>(topics.otlpLogs().name(), null, body));
        }
        for (byte[] body : OtlpCapture.checkoutLogs(List.of("order 19 paid by carol"), 60)) {
            logs.add(new ProducerRecord<>(topics.otlpLogs().name(), null, body));
        }
        KafkaTestClients.produce(bootstrap, topics.otlpLogs(), logs);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KafkaIO.configureCheckpointing(env, options);
        IngestJob.build(env, options); // the shared sinks carry the traces' and logs' points and dead letters
        JobClient job = env.executeAsync("traces-logs-test-" + run);
        List<ConsumerRecord<String, TelemetryPoint>> points;
        List<ConsumerRecord<String, ServiceEdge>> edges;
        List<ConsumerRecord<String, LogEvent>> logEvents;
        List<ConsumerRecord<String, DeadLetter>> deadLetters;
        try {
            points = KafkaTestClients.consumeUntil(bootstrap, topics.points(),
                    read -> read.stream().anyMatch(r -> r.value().getMetric().equals("edge.error.ratio"))
                            && read.stream().anyMatch(r -> r.value().getMetric().equals(LogCounts.PATTERN_COUNT))
                            && read.stream().anyMatch(r -> r.value().getMetric().equals("service.error.ratio")),
                    KAFKA_WAIT);
            edges = KafkaTestClients.consumeUntil(bootstrap, topics.serviceEdges(),
                    read -> read.stream().filter(r -> r.value() == null).count() >= 2, KAFKA_WAIT);
            logEvents = KafkaTestClients.consumeUntil(bootstrap, topics.logEvents(), read -> read.size() >= 4, KAFKA_WAIT);
            deadLetters = KafkaTestClients.consumeUntil(bootstrap, topics.deadLetters(), read -> !read.isEmpty(), KAFKA_WAIT);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        assertThat(points).filteredOn(r -> r.value().getMetric().equals("service.error.ratio")).first()
                .satisfies(r -> {
                    assertThat(r.key()).isEqualTo("process:host-1/checkout");
                    assertThat(r.value().getValue()).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
                });
        assertThat(points).filteredOn(r -> r.value().getMetric().equals("edge.error.ratio")
                        && "postgresql".equals(r.value().getAttributes().get("callee"))).first()
                .satisfies(r -> assertThat(r.value().getValue()).isCloseTo(1.0 / 3, org.assertj.core.api.Assertions.within(1e-9)));
        assertThat(points).filteredOn(r -> r.value().getMetric().equals(LogCounts.TEMPLATE_COUNT))
                .extracting(r -> r.value().getValue()).contains(2.0, 1.0);
        assertThat(points).filteredOn(r -> r.value().getMetric().equals(LogCounts.PATTERN_COUNT)).first()
                .satisfies(r -> assertThat(r.value().getAttributes()).containsEntry("pattern", LogPatterns.OOM_KILLED));

        assertThat(edges).filteredOn(r -> r.value() != null).extracting(ConsumerRecord::key)
                .contains("checkout->inventory", "checkout->postgresql");
        assertThat(edges).filteredOn(r -> r.value() == null).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("checkout->inventory", "checkout->postgresql");

        assertThat(logEvents).extracting(r -> r.value().getTemplate())
                .contains("order <*> paid by <*>", "java.lang.OutOfMemoryError: Java heap space");
        assertThat(logEvents.get(1).value().getTemplateId()).isEqualTo(logEvents.get(0).value().getTemplateId());
        assertThat(logEvents).allSatisfy(r -> assertThat(r.key()).isEqualTo("process:host-1/checkout"));

        assertThat(deadLetters).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("ingest/malformed-protobuf");
            assertThat(r.value().getSourceTopic()).isEqualTo(topics.otlpSpans().name());
        });
    }
}
