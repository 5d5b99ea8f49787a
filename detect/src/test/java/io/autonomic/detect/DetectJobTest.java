package io.autonomic.detect;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.ERROR_RATIO;
import static io.autonomic.detect.TestPoints.LATENCY;
import static io.autonomic.detect.TestPoints.PAYMENTS;
import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.TestPoints.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole job on a MiniCluster against a real broker: a 5xx fault becomes one restart command and recovers. */
class DetectJobTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @BeforeAll
    static void tempDir() throws Exception {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void options_acceptConfigTtlAndTopicOverrides() {
        Options options = Options.parse(new String[] {"--config", "/etc/autonomic/detect.yaml", "--state-ttl", "30m",
                "--topic.commands=prod.commands"}, DetectJob.options(), List.of(PipelineOptions.TOPIC_PREFIX));

        assertThat(options.get(DetectJob.CONFIG)).isEqualTo(Path.of("/etc/autonomic/detect.yaml"));
        assertThat(options.get(DetectJob.STATE_TTL)).isEqualTo(Duration.ofMinutes(30));
        assertThat(PipelineOptions.topics(options).commands().name()).isEqualTo("prod.commands");
        assertThat(DetectJob.options()).containsAll(PipelineOptions.ALL);
    }

    @Test
    void job_turnsAFaultIntoOneCommandAndRecovers() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--checkpoint-interval", "1s",
                "--group-id-prefix", "detect-test-" + run));
        for (String id : List.of("enriched", "anomalies", "incidents", "commands", "health", "dead-letters")) {
            args.add("--topic." + id + "=detect-test-" + run + "." + id);
        }
        Options options = Options.parse(args.toArray(String[]::new), DetectJob.options(),
                List.of(PipelineOptions.TOPIC_PREFIX));
        Topics topics = PipelineOptions.topics(options);
        TestTopics.ensureKeptForever(bootstrap, List.of(topics.enrichedPoints(), topics.anomalies(), topics.incidents(),
                topics.commands(), topics.health(), topics.deadLetters()));
        produceFaultScenario(bootstrap, topics);

        Configuration noKryo = new Configuration();
        noKryo.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(noKryo);
        KafkaIO.configureCheckpointing(env, options);
        DetectJob.build(env, options);
        JobClient job = env.executeAsync("detect-test");
        try {
            List<ResourceHealth> health = values(read(bootstrap, topics.health(),
                    records -> records.stream().anyMatch(r -> r.value().getStatus() == HealthStatus.HEALTHY)));
            assertThat(health).extracting(h -> h.getResource().getId()).containsOnly(CHECKOUT);
            assertThat(health).extracting(ResourceHealth::getStatus)
                    .containsExactly(HealthStatus.UNHEALTHY, HealthStatus.HEALTHY);
            assertThat(health.get(0).getSinceMillis()).isEqualTo(at(40));
            assertThat(health.get(1).getSinceMillis()).as("first point 8s after the last rule anomaly")
                    .isEqualTo(at(57));

            List<ConsumerRecord<String, RemediationCommand>> commandRecords =
                    read(bootstrap, topics.commands(), records -> !records.isEmpty());
            assertThat(commandRecords).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo(CHECKOUT);
                RemediationCommand command = record.value();
                assertThat(command.getAction()).isEqualTo("process.restart");
                assertThat(command.getPlaybook()).isEqualTo("restart-on-5xx");
                assertThat(command.getMode()).isEqualTo(ExecutionMode.EXECUTE);
                assertThat(command.getTarget().getId()).isEqualTo(CHECKOUT);
                assertThat(command.getTargetContext().getService()).isEqualTo("checkout");
                assertThat(command.getParameters()).isEmpty();
                assertThat(command.getIssuedAtMillis()).isEqualTo(at(43));
                assertThat(command.getExpiresAtMillis()).isEqualTo(at(43) + 120_000);
                assertThat(command.getVerifyWithinMillis()).isEqualTo(60_000);
                assertThat(command.getIncident().getDiagnosis().getIncidentType()).isEqualTo("http-5xx");
                assertThat(command.getIdempotencyKey())
                        .isEqualTo(command.getIncident().getIncidentId() + "/restart-on-5xx/0");
            });

            List<Incident> incidents = values(read(bootstrap, topics.incidents(),
                    records -> records.stream().anyMatch(r -> r.value().getStatus() == IncidentStatus.RESOLVED)));
            assertThat(incidents).extracting(i -> i.getResource().getId()).containsOnly(CHECKOUT);
            assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(
                    commandRecords.get(0).value().getIncident().getIncidentId());
            assertThat(incidents.get(0).getStatus()).isEqualTo(IncidentStatus.OPEN);
            assertThat(incidents.get(incidents.size() - 1).getResolvedAtMillis()).isEqualTo(at(57));

            List<Anomaly> anomalies = values(read(bootstrap, topics.anomalies(),
                    records -> records.stream().anyMatch(r -> r.value().getDetector().equals("rule:high-error-ratio"))));
            assertThat(anomalies).extracting(a -> a.getResource().getId()).containsOnly(CHECKOUT);

            List<DeadLetter> deadLetters = values(read(bootstrap, topics.deadLetters(), records -> !records.isEmpty()));
            assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
                assertThat(deadLetter.getStage()).isEqualTo("detect");
                assertThat(deadLetter.getReason()).isEqualTo("undecodable-avro");
                assertThat(deadLetter.getSourceTopic()).isEqualTo(topics.enrichedPoints().name());
                assertThat(StandardCharsets.UTF_8.decode(deadLetter.getValue()).toString()).isEqualTo("not avro");
            });
        } finally {
            job.cancel().get();
        }
    }

    /**
     * Two services reporting every second for 80s; checkout answers only errors from 40s to 49s. Payments stays
     * healthy and must never get an incident.
     */
    private static void produceFaultScenario(String bootstrap, Topics topics) {
        Random random = new Random(17);
        Topic<String, EnrichedPoint> enriched = topics.enrichedPoints();
        List<ProducerRecord<String, EnrichedPoint>> records = new ArrayList<>();
        for (int s = 0; s < 80; s++) {
            double checkoutErrors = s >= 40 && s < 50 ? 1.0 : 0.0;
            for (String resource : List.of(CHECKOUT, PAYMENTS)) {
                double errors = resource.equals(CHECKOUT) ? checkoutErrors : (random.nextInt(10) == 0 ? 0.01 : 0.0);
                records.add(new ProducerRecord<>(enriched.name(), resource, gauge(resource, ERROR_RATIO, at(s), errors)));
                records.add(new ProducerRecord<>(enriched.name(), resource,
                        gauge(resource, LATENCY, at(s), 0.05 + 0.005 * random.nextGaussian())));
            }
            if (s == 5) {
                Topic<String, byte[]> raw = new Topic<>(enriched.id(), enriched.name(), Serdes.String(),
                        Serdes.ByteArray(), false);
                KafkaTestClients.produce(bootstrap, raw, CHECKOUT, "not avro".getBytes(StandardCharsets.UTF_8));
            }
        }
        KafkaTestClients.produce(bootstrap, enriched, records);
    }

    private static <V> List<ConsumerRecord<String, V>> read(String bootstrap, Topic<String, V> topic,
            Predicate<List<ConsumerRecord<String, V>>> done) {
        List<ConsumerRecord<String, V>> records = KafkaTestClients.consumeUntil(bootstrap, topic, done, TIMEOUT);
        assertThat(done.test(records)).as("expected records on %s, got %s", topic.name(), records).isTrue();
        return records;
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
