package io.autonomic.models.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.models.anomaly.ResourceAnomalyModel;
import io.autonomic.models.features.FeatureExtractor;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.kafka.EmbeddedKafka;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code publish} against the real in-process broker: what it writes is what the live jobs read back. */
class PublishTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final FeatureExtractor FEATURES = FeatureExtractor.of(List.of("cpu", "latency"));

    @TempDir
    Path dir;

    private String bootstrap;
    private Topic<String, ModelRelease> topic;
    private ResourceAnomalyModel process;
    private ResourceAnomalyModel fallback;

    /**
     * The module's only broker user, so the broker lives exactly as long as this class and is closed here rather
     * than by a JVM shutdown hook racing the test JVM's exit.
     */
    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() throws Exception {
        // surefire points java.io.tmpdir at target/tmp; the broker keeps its data there
        java.nio.file.Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        broker = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        bootstrap = broker.bootstrapServers();
        topic = Topics.withOverrides(Map.of("models", "publish-test-" + UUID.randomUUID() + ".models")).models();
        TopicAdmin.ensureTopics(bootstrap, List.of(topic), 1, (short) 1);
        process = ResourceAnomalyModel.train("HOST_PROCESS", FEATURES, rows(1), 0.01, 0.1, "synthetic");
        fallback = ResourceAnomalyModel.train("default", FEATURES, rows(2), 0.01, 0.1, "synthetic");
        process.save(dir);
        fallback.save(dir);
    }

    private static List<Map<String, Double>> rows(long seed) {
        Random random = new Random(seed);
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double load = random.nextDouble();
            rows.add(Map.of("cpu", load, "latency", 0.04 + 0.03 * load + 0.001 * random.nextGaussian()));
        }
        return rows;
    }

    private record Run(int exit, String output) {
    }

    private Run publish(String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--topic.models=" + topic.name()));
        all.addAll(List.of(args));
        int exit = Publish.run(all.toArray(String[]::new), new PrintStream(printed, true, StandardCharsets.UTF_8),
                CLOCK);
        return new Run(exit, printed.toString(StandardCharsets.UTF_8));
    }

    private List<ConsumerRecord<String, ModelRelease>> read(int atLeast) {
        return KafkaTestClients.consumeUntil(bootstrap, topic, records -> records.size() >= atLeast,
                Duration.ofSeconds(30));
    }

    private long endOffset() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic.name(), 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        }
    }

    @Test
    void run_publishesEveryReleaseOfTheDirectory_keyedByModelName() {
        Run run = publish("--models", dir.toString());

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("published anomaly/HOST_PROCESS version " + process.version())
                .contains("published anomaly/default version " + fallback.version());
        List<ConsumerRecord<String, ModelRelease>> records = read(2);
        assertThat(records).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("anomaly/HOST_PROCESS", "anomaly/default");
        ModelRelease published = records.stream().filter(r -> r.key().equals("anomaly/HOST_PROCESS")).findFirst()
                .orElseThrow().value();
        assertThat(published.getVersion()).isEqualTo(process.version());
        assertThat(published.getFamily()).isEqualTo("anomaly");
        assertThat(published.getPublishedAtMillis()).isEqualTo(CLOCK.millis());
        assertThat(published.getProvenance()).contains("LibSVMAnomalyTrainer");
        Map<String, Double> row = rows(3).get(0);
        assertThat(ResourceAnomalyModel.fromRelease(published).score(row).decision())
                .isEqualTo(process.score(row).decision());
    }

    @Test
    void run_again_writesNothingForVersionsAlreadyLive() {
        publish("--models", dir.toString());

        Run again = publish("--models", dir.toString());

        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("0 published, 2 already live");
        assertThat(endOffset()).as("records on the topic").isEqualTo(2);
    }

    @Test
    void withdraw_writesATombstoneForLiveModelsOnly() {
        publish("--models", dir.toString());

        Run run = publish("--withdraw", "anomaly/default,anomaly/K8S_POD");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("withdrew [anomaly/default]");
        List<ConsumerRecord<String, ModelRelease>> records = read(3);
        assertThat(records).hasSize(3);
        assertThat(records.get(2).key()).isEqualTo("anomaly/default");
        assertThat(records.get(2).value()).isNull();
        assertThat(ModelPublisher.liveVersions(bootstrap, topic, Duration.ofSeconds(30)))
                .containsOnlyKeys("anomaly/HOST_PROCESS");
    }

    @Test
    void train_withPublish_putsTheTrainedModelOnTheTopic() throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,cpu,latency\n");
        int t = 0;
        for (Map<String, Double> row : rows(4)) {
            csv.append(t++).append(',').append(row.get("cpu")).append(',').append(row.get("latency")).append('\n');
        }
        Path input = java.nio.file.Files.writeString(dir.resolve("pods.csv"), csv);
        Path output = dir.resolve("trained");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exit = io.autonomic.models.anomaly.Train.run(new String[] {"--input", input.toString(), "--kind",
                "k8s-pod", "--output", output.toString(), "--publish", bootstrap, "--topic.models=" + topic.name()},
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        String version = ResourceAnomalyModel.load(output, "K8S_POD").version();
        assertThat(text).contains("published anomaly/K8S_POD version " + version);
        assertThat(ModelPublisher.liveVersions(bootstrap, topic, Duration.ofSeconds(30)))
                .containsExactly(Map.entry("anomaly/K8S_POD", version));
    }

    @Test
    void run_missingTopic_failsNamingIt() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exit = Publish.run(new String[] {"--bootstrap-servers", bootstrap, "--topic.models=no-such-models-topic",
                "--models", dir.toString(), "--timeout", "5s"}, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("no-such-models-topic").contains("does not exist");
    }

    @Test
    void run_withoutModelsOrWithdraw_isAUsageError() {
        Run run = publish();

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("exactly one of --models DIR and --withdraw");
    }
}
