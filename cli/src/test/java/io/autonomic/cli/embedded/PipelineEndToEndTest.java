package io.autonomic.cli.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP bytes as the Collector's Kafka exporter writes them (otlp_proto) go in on otlp_metrics; a remediation command
 * comes out on the commands topic. Real broker, the three real jobs on a MiniCluster.
 */
class PipelineEndToEndTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static EmbeddedStack stack;
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startStack() throws Exception {
        stack = EmbeddedStack.builder().kafkaPort(0).otlpPort(0).dataDir(dataDir).startWorker(false).start();
        // the records carry event times of START, long before the broker's clock
        KafkaTestClients.keepForever(stack.bootstrapServers(), TOPICS.all());
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void otlpErrorRatioBurst_yieldsRestartCommand_andGarbageIsDeadLettered() {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        // 20 s of a healthy service, then 12 s answering every request with an error.
        for (int second = 0; second < 32; second++) {
            double errorRatio = second < 20 ? 0.0 : 1.0;
            records.add(new ProducerRecord<>(TOPICS.otlpMetrics().name(),
                    request("payments", "host-7", START.plusSeconds(second), errorRatio).toByteArray()));
        }
        records.add(new ProducerRecord<>(TOPICS.otlpMetrics().name(), "not protobuf".getBytes(StandardCharsets.UTF_8)));
        KafkaTestClients.produce(stack.bootstrapServers(), TOPICS.otlpMetrics(), records);

        List<ConsumerRecord<String, RemediationCommand>> commands = KafkaTestClients.consumeUntil(
                stack.bootstrapServers(), TOPICS.commands(), read -> !read.isEmpty(), Duration.ofSeconds(90));

        assertThat(commands).hasSize(1);
        RemediationCommand command = commands.get(0).value();
        assertThat(commands.get(0).key()).isEqualTo("process:host-7/payments");
        assertThat(command.getTarget().getId()).isEqualTo("process:host-7/payments");
        assertThat(command.getTarget().getKind()).isEqualTo(ResourceKind.HOST_PROCESS);
        assertThat(command.getTarget().getService()).isEqualTo("payments");
        assertThat(command.getAction()).isEqualTo("process.restart");
        assertThat(command.getPlaybook()).isEqualTo("restart-on-5xx");
        assertThat(command.getMode()).isEqualTo(ExecutionMode.EXECUTE);
        assertThat(command.getIdempotencyKey()).isNotBlank();
        assertThat(command.getCommandId()).isNotBlank();
        assertThat(command.getIssuedAtMillis()).isGreaterThanOrEqualTo(START.plusSeconds(20).toEpochMilli());
        assertThat(command.getExpiresAtMillis()).isGreaterThan(command.getIssuedAtMillis());
        assertThat(command.getIncident().getDiagnosis().getIncidentType()).isEqualTo("http-5xx");
        assertThat(command.getIncident().getDiagnosis().getRootCause()).isEqualTo("process:host-7/payments");
        assertThat(command.getIncident().getEvidence()).isNotEmpty()
                .allSatisfy(a -> assertThat(a.getMetric()).isEqualTo("http.server.error_ratio"));
        assertThat(command.getTargetContext().getFound()).isFalse();

        List<ConsumerRecord<String, DeadLetter>> deadLetters = KafkaTestClients.consumeUntil(
                stack.bootstrapServers(), TOPICS.deadLetters(), read -> !read.isEmpty(), Duration.ofSeconds(30));
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).value().getStage()).isEqualTo("ingest");
        assertThat(deadLetters.get(0).value().getSourceTopic()).isEqualTo(TOPICS.otlpMetrics().name());
    }

    private static ExportMetricsServiceRequest request(String service, String host, Instant at, double errorRatio) {
        long nanos = TimeUnit.MILLISECONDS.toNanos(at.toEpochMilli());
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(attr("service.name", service))
                                .addAttributes(attr("host.name", host)))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder()
                                        .setName("http.server.error_ratio")
                                        .setUnit("1")
                                        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                                                .setTimeUnixNano(nanos)
                                                .setAsDouble(errorRatio))))))
                .build();
    }

    private static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
